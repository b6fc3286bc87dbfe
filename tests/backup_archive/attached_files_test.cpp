// attach_to_set (kuphost.backup-set/1's attach_file): another plugin's files
// kept beside a finished set, for a directory set, a tar.zst archive and an
// encrypted archive: the set's own seal is untouched, verify checks the
// attached files, a changed one is named, `backup list`'s catalog sees them
// and retention removes them with their set.
#include <gtest/gtest.h>

#include <cstdio>

#include "archive_fixture.h"
#include "core/attached_files.h"
#include "core/set_packing.h"

namespace backup_archive_test {
namespace {

namespace fs = std::filesystem;

constexpr const char *kPrevious = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: calico-etcd-secrets\n";
constexpr const char *kStem = "kuphost-backup-2026-11-27-07-10-00";

class AttachedFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path tree = tmp_ / "tree";
    fs::create_directories(tree / "files/etc/kubernetes");
    backup_set_test::write_file(tree / "files/etc/kubernetes/admin.conf", "kind: Config");
    fs::create_directories(tmp_ / "backups");
    eb::create_backup_set(tree, tmp_ / "backups" / kStem);
    resolve_ = [this](const std::string &node_path) { return tmp_.path() / node_path.substr(1); };
  }
  // The set as the catalog finds it (`suffix`: "" or an archive's).
  eb::BackupEntry set(const std::string &suffix) const {
    return eb::find_backup(resolve_, "/backups", "/kubeadm-tmp", kStem + suffix);
  }
  eb::BackupEntry packed(const std::string &suffix, std::optional<eb::EncryptionKey> key) {
    eb::pack_set(tmp_ / "backups" / kStem, tmp_ / "backups" / (kStem + suffix), eb::ArchiveFormat::kTarZstd, key);
    fs::remove_all(tmp_ / "backups" / kStem);
    return set(suffix);
  }
  std::string attach(const eb::BackupEntry &e, const std::string &name, const std::string &bytes) {
    return eb::attach_to_set(resolve_, e, key_file_, "cni-calico", name, bytes, 0644);
  }
  std::string read(const eb::BackupEntry &e, const std::string &name) {
    return eb::read_attached_file(resolve_, e, key_file_, "cni-calico", name);
  }
  std::vector<std::string> problems(const eb::BackupEntry &e) {
    std::size_t entries = 0;
    return eb::verify_attached(resolve_, e, key_file_, &entries);
  }
  void write_key(const std::string &hex) {
    backup_set_test::write_file(tmp_ / "key", hex, 0600);
    key_file_ = "/key";
  }

  backup_set_test::TempDir tmp_;
  eb::PathResolver resolve_;
  std::string key_file_;
};

std::string joined(const std::vector<std::string> &lines) {
  std::string out;
  for (const auto &l : lines) out += l + "\n";
  return out;
}

TEST_F(AttachedFilesTest, ADirectorySetKeepsItsSealAndVerifiesTheAttachedFiles) {
  const eb::BackupEntry e = set("");
  const std::string sealed = read_bytes(tmp_ / "backups" / kStem / "MANIFEST.sha256");
  const std::string stored = attach(e, "previous.yaml", kPrevious);
  attach(e, "applied/calico.yaml", "kind: DaemonSet\n");
  EXPECT_EQ(stored, std::string("/backups/") + kStem + ".attached/cni-calico/previous.yaml");
  EXPECT_EQ(backup_set_test::mode_of(tmp_ / stored.substr(1)), 0600u);
  EXPECT_EQ(backup_set_test::mode_of(tmp_ / "backups" / (std::string(kStem) + ".attached")), 0700u);
  // The set is exactly as sealed; the attached directory is a set of its own.
  EXPECT_EQ(read_bytes(tmp_ / "backups" / kStem / "MANIFEST.sha256"), sealed);
  EXPECT_TRUE(eb::verify_set(tmp_ / "backups" / kStem).ok());
  std::size_t entries = 0;
  EXPECT_EQ(joined(eb::verify_attached(resolve_, e, "", &entries)), "");
  EXPECT_EQ(entries, 5u);  // ".", cni-calico, the file, applied, the copy
  EXPECT_EQ(read(e, "previous.yaml"), kPrevious);
  EXPECT_EQ(read(e, "applied/calico.yaml"), "kind: DaemonSet\n");
  const eb::BackupEntry listed = set("");
  ASSERT_TRUE(listed.attached);
  EXPECT_EQ(eb::attached_names(resolve_, listed.node_path),
            (std::vector<std::string>{"cni-calico/previous.yaml", "cni-calico/applied/calico.yaml"}));
  // Attaching again (a resumed apply) replaces the file.
  attach(e, "previous.yaml", "kind: List\n");
  EXPECT_EQ(read(e, "previous.yaml"), "kind: List\n");
  EXPECT_EQ(joined(problems(e)), "");
}

TEST_F(AttachedFilesTest, ATamperedAttachedFileIsNamedByVerifyAndRefusedOnRead) {
  const eb::BackupEntry e = set("");
  const std::string stored = attach(e, "previous.yaml", kPrevious);
  overwrite_bytes(tmp_ / stored.substr(1), "kind: Tampered\n");
  const std::string found = joined(problems(e));
  EXPECT_NE(found.find(std::string(kStem) + ".attached: cni-calico/previous.yaml: size changed"), std::string::npos)
      << found;
  try {
    read(e, "previous.yaml");
    FAIL() << "a changed file was read back";
  } catch (const std::runtime_error &error) {
    EXPECT_NE(std::string(error.what()).find("previous.yaml does not match its SHA-256 in"), std::string::npos)
        << error.what();
  }
  overwrite_bytes(tmp_ / stored.substr(1), std::string(kPrevious).replace(0, 1, "b"));  // same size
  EXPECT_NE(joined(problems(e)).find("cni-calico/previous.yaml: content changed"), std::string::npos);
  backup_set_test::write_file(tmp_ / "backups" / (std::string(kStem) + ".attached/cni-calico/extra"), "x", 0600);
  EXPECT_NE(joined(problems(e)).find("cni-calico/extra: not in the manifest"), std::string::npos);
}

TEST_F(AttachedFilesTest, AnArchiveSetGetsASiblingDirectoryAndStaysByteForByte) {
  const eb::BackupEntry e = packed(".tar.zst", std::nullopt);
  const fs::path archive = tmp_ / "backups" / (std::string(kStem) + ".tar.zst");
  const std::string before = read_bytes(archive);
  const std::string stored = attach(e, "previous.yaml", kPrevious);
  EXPECT_EQ(stored, std::string("/backups/") + kStem + ".tar.zst.attached/cni-calico/previous.yaml");
  EXPECT_EQ(read_bytes(archive), before);
  EXPECT_TRUE(eb::verify_packed_set(resolve_, e.node_path, "").ok());
  EXPECT_EQ(joined(problems(e)), "");
  EXPECT_EQ(read(e, "previous.yaml"), kPrevious);
  // The catalog does not take the sibling for a set of its own.
  EXPECT_EQ(eb::list_backups(resolve_, "/backups", "/kubeadm-tmp").size(), 1u);
  fs::remove(tmp_ / stored.substr(1));
  EXPECT_NE(joined(problems(e)).find("cni-calico/previous.yaml: missing"), std::string::npos);
}

TEST_F(AttachedFilesTest, AnEncryptedSetEncryptsItsAttachedFilesWithItsKey) {
  std::string hex;  // test_key(): 0x42, 0x43, ...
  for (int i = 0; i < 32; ++i) {
    char byte[3];
    std::snprintf(byte, sizeof byte, "%02x", 0x42 + i);
    hex += byte;
  }
  write_key(hex);
  const eb::BackupEntry e = packed(".tar.zst.kenc", test_key());
  const std::string stored = attach(e, "previous.yaml", kPrevious);
  EXPECT_EQ(stored, std::string("/backups/") + kStem + ".tar.zst.kenc.attached/cni-calico/previous.yaml.kenc");
  const std::string on_disk = read_bytes(tmp_ / stored.substr(1));
  EXPECT_EQ(on_disk.rfind("KUPHOST-ENC-1", 0), 0u);
  EXPECT_EQ(on_disk.find("calico-etcd-secrets"), std::string::npos);
  EXPECT_EQ(joined(problems(e)), "");
  EXPECT_EQ(read(e, "previous.yaml"), kPrevious);
  EXPECT_EQ(eb::attached_names(resolve_, e.node_path), std::vector<std::string>{"cni-calico/previous.yaml"});
  write_key(std::string(64, '4'));  // not the key: the stored bytes match, the plaintext does not open
  EXPECT_NE(joined(problems(e)).find("authentication failed at chunk 0"), std::string::npos) << joined(problems(e));
  EXPECT_THROW(read(e, "previous.yaml"), std::exception);
}

TEST_F(AttachedFilesTest, BadNamesAndUnknownFilesAreRefused) {
  const eb::BackupEntry e = set("");
  EXPECT_THROW(attach(e, "../escape", "x"), std::invalid_argument);
  EXPECT_THROW(attach(e, "a//b", "x"), std::invalid_argument);
  EXPECT_THROW(eb::attach_to_set(resolve_, e, "", "../x", "f", "x", 0600), std::invalid_argument);
  EXPECT_THROW(read(e, "previous.yaml"), eb::AttachedNotFound);
  attach(e, "previous.yaml", kPrevious);
  EXPECT_THROW(read(e, "other.yaml"), eb::AttachedNotFound);
  EXPECT_FALSE(fs::exists(tmp_ / "escape"));
}

TEST_F(AttachedFilesTest, RetentionRemovesTheAttachedFilesWithTheirSet) {
  attach(set(""), "previous.yaml", kPrevious);
  const auto removed = eb::apply_retention(resolve_, "/backups", "/kubeadm-tmp", 0);
  EXPECT_EQ(removed, (std::vector<std::string>{std::string("/backups/") + kStem + ".attached",
                                               std::string("/backups/") + kStem}));
  EXPECT_TRUE(fs::is_empty(tmp_ / "backups"));
}

}  // namespace
}  // namespace backup_archive_test
