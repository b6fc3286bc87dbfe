// Calico's release bundle: the SHA-256 is checked before libarchive reads
// it, unsafe archives are refused whole, and only release-*/manifests/ is
// taken. Archives are written with libarchive, as Calico's are with tar.
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

#include "release_bundle.h"
#include "test_support.h"

namespace kuphost_plugins::cni_calico {
namespace {

using kuphost::test::TempDir;

struct Entry {
  enum Type { kFile, kSymlink, kHardlink, kDir };
  Entry(std::string p, std::string c, Type t = kFile, std::string l = {})
      : path(std::move(p)), content(std::move(c)), type(t), link(std::move(l)) {}
  std::string path, content;
  Type type;
  std::string link;
};

void write_tgz(const std::filesystem::path &file, const std::vector<Entry> &entries) {
  std::unique_ptr<struct archive, decltype(&archive_write_free)> out(archive_write_new(), &archive_write_free);
  archive_write_add_filter_gzip(out.get());
  archive_write_set_format_pax_restricted(out.get());
  ASSERT_EQ(archive_write_open_filename(out.get(), file.c_str()), ARCHIVE_OK);
  for (const auto &e : entries) {
    std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), &archive_entry_free);
    archive_entry_set_pathname(entry.get(), e.path.c_str());
    archive_entry_set_perm(entry.get(), 0644);
    switch (e.type) {
      case Entry::kFile:
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.content.size()));
        break;
      case Entry::kDir:
        archive_entry_set_filetype(entry.get(), AE_IFDIR);
        break;
      case Entry::kSymlink:
        archive_entry_set_filetype(entry.get(), AE_IFLNK);
        archive_entry_set_symlink(entry.get(), e.link.c_str());
        break;
      case Entry::kHardlink:
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_hardlink(entry.get(), e.link.c_str());
        break;
    }
    ASSERT_EQ(archive_write_header(out.get(), entry.get()), ARCHIVE_OK);
    if (e.type == Entry::kFile && !e.content.empty())
      archive_write_data(out.get(), e.content.data(), e.content.size());
  }
  archive_write_close(out.get());
}

std::vector<Entry> release(const std::string &version) {
  const std::string top = "release-" + version;
  return {{top, "", Entry::kDir},
          {top + "/manifests", "", Entry::kDir},
          {top + "/manifests/calico.yaml", "kind: DaemonSet\n"},
          {top + "/manifests/tigera-operator.yaml", "kind: Deployment\n"},
          {top + "/manifests/ocp/01-crd.yaml", "nested, not taken\n"},
          {top + "/images/calico-node.tar", "not a manifest\n"},
          {top + "/bin/calicoctl-current", "", Entry::kSymlink, "calicoctl"}};
}

std::string refusal(const std::filesystem::path &bundle) {
  try {
    read_release_manifests(bundle);
  } catch (const BundleError &e) {
    return e.what();
  }
  return "accepted";
}

TEST(ReleaseBundle, ReadsOnlyTheManifestsDirectory) {
  TempDir tmp;
  write_tgz(tmp / "release-v3.30.3.tgz", release("v3.30.3"));
  const auto manifests = read_release_manifests(tmp / "release-v3.30.3.tgz");
  ASSERT_EQ(manifests.size(), 2u);
  EXPECT_EQ(manifests.at("calico.yaml"), "kind: DaemonSet\n");
  EXPECT_EQ(manifests.at("tigera-operator.yaml"), "kind: Deployment\n");
}

TEST(ReleaseBundle, DigestMatchesSha256sumAndAMismatchNamesBoth) {
  TempDir tmp;
  kuphost::test::write_file(tmp / "b.tgz", "hello\n");
  const std::string digest = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";  // sha256sum
  EXPECT_EQ(sha256_file_hex(tmp / "b.tgz").value_or("unreadable"), digest);
  EXPECT_NO_THROW(check_bundle_digest(tmp / "b.tgz", "5891B5B522D5DF086D0FF0B110FBD9D21BB4FC7163AF34D08286A2E846F6BE03"));
  try {
    check_bundle_digest(tmp / "b.tgz", std::string(64, '0'));
    FAIL();
  } catch (const BundleError &e) {
    EXPECT_EQ(std::string(e.what()), (tmp / "b.tgz").string() + " has SHA-256 " + digest +
                                         ", not the configured cni-calico.bundle-sha256 " + std::string(64, '0') +
                                         "; nothing was unpacked");
  }
}

TEST(ReleaseBundle, UnsafeArchivesAreRefusedWhole) {
  TempDir tmp;
  const std::vector<std::pair<std::string, Entry>> cases = {
      {"parent", Entry("release-v3.30.3/manifests/../../../etc/cron.d/evil", "x")},
      {"absolute", Entry("/etc/cron.d/evil", "x")},
      {"symlink", Entry("release-v3.30.3/manifests/evil.yaml", "", Entry::kSymlink, "../../../../etc/shadow")},
      {"absolute-symlink", Entry("release-v3.30.3/manifests/evil.yaml", "", Entry::kSymlink, "/etc/shadow")},
      {"hardlink", Entry("release-v3.30.3/manifests/evil.yaml", "", Entry::kHardlink, "../etc/shadow")},
  };
  for (const auto &[name, bad] : cases) {
    auto entries = release("v3.30.3");
    entries.push_back(bad);
    const auto file = tmp / (name + ".tgz");
    write_tgz(file, entries);
    const std::string why = refusal(file);
    EXPECT_NE(why.find("nothing was unpacked"), std::string::npos) << name << ": " << why;
    EXPECT_NE(why.find(bad.path), std::string::npos) << name << ": " << why;
  }
}

TEST(ReleaseBundle, NotAReleaseBundleSaysSo) {
  TempDir tmp;
  write_tgz(tmp / "other.tgz", {Entry("docs/readme.md", "hi")});
  EXPECT_NE(refusal(tmp / "other.tgz").find("holds no release-*/manifests/ directory"), std::string::npos);
  kuphost::test::write_file(tmp / "plain.tgz", "not an archive");
  EXPECT_NE(refusal(tmp / "plain.tgz").find("is not a readable tar.gz"), std::string::npos) << refusal(tmp / "plain.tgz");
}

}  // namespace
}  // namespace kuphost_plugins::cni_calico
