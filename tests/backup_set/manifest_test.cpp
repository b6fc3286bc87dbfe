// MANIFEST.sha256: what it says, that sha256sum -c accepts it, and what a
// damaged or hostile one is refused for.
#include <gtest/gtest.h>

#include "backup_set/backup_set.h"
#include "tree_fixture.h"

namespace eb = kuphost_plugins::etcd_backup;
namespace fs = std::filesystem;
using namespace backup_set_test;

namespace {

eb::Manifest sample_manifest() {
  eb::Manifest manifest;
  manifest.private_set = true;
  manifest.entries = {
      {".", eb::EntryType::kDirectory, 0, 0700, {}, {}},
      {"member", eb::EntryType::kDirectory, 0, 0700, {}, {}},
      {"member/snap db", eb::EntryType::kFile, 5, 0640,
       "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", {}},
      {"member/back\\slash\nnewline", eb::EntryType::kFile, 0, 0600,
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", {}},
      {"member/link", eb::EntryType::kSymlink, 7, 0777, {}, {"snap db"}},
  };
  return manifest;
}

std::string with_line_replaced(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("no '" + from + "' in the manifest");
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST(Manifest, FormatListsEveryEntryAndChecksumLines) {
  const std::string text = eb::format_manifest(sample_manifest());
  EXPECT_NE(text.find("#: set private\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#: d 0700 0 .\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#: f 0640 5 member/snap\\040db\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#: l 0777 7 member/link snap\\040db\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  member/snap db\n"),
            std::string::npos)
      << text;
  // sha256sum's escaping: leading backslash, \\ and \n in the name.
  EXPECT_NE(text.find("\n\\e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  "
                      "member/back\\\\slash\\nnewline\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with("# end 5 entries\n")) << text;
}

TEST(Manifest, ParsesWhatItFormats) {
  const auto manifest = sample_manifest();
  EXPECT_EQ(eb::parse_manifest(eb::format_manifest(manifest)), manifest);
}

TEST(Manifest, RefusesTruncatedOrInconsistentText) {
  const std::string text = eb::format_manifest(sample_manifest());
  EXPECT_THROW(eb::parse_manifest(text.substr(0, text.size() - 1)), eb::ManifestError);
  EXPECT_THROW(eb::parse_manifest(text.substr(0, text.find("# end"))), eb::ManifestError);
  EXPECT_THROW(eb::parse_manifest(with_line_replaced(text, "# end 5", "# end 4")), eb::ManifestError);
  EXPECT_THROW(eb::parse_manifest(with_line_replaced(text, "2cf24dba", "2CF24DBA")), eb::ManifestError);
  EXPECT_THROW(eb::parse_manifest(with_line_replaced(text, "#: f 0640 5", "#: f 0640 x")), eb::ManifestError);
}

TEST(Manifest, RefusesPathsThatLeaveTheSet) {
  const std::string text = eb::format_manifest(sample_manifest());
  EXPECT_THROW(eb::parse_manifest(with_line_replaced(text, "#: d 0700 0 member\n", "#: d 0700 0 ../member\n")),
               eb::ManifestError);
  EXPECT_THROW(eb::parse_manifest(with_line_replaced(text, "#: d 0700 0 member\n", "#: d 0700 0 /etc\n")),
               eb::ManifestError);
  EXPECT_THROW(eb::parse_manifest(with_line_replaced(text, "#: d 0700 0 member\n", "#: d 0700 0 a//b\n")),
               eb::ManifestError);
}

TEST(Manifest, WrittenLastIntoTheSetAndCheckableWithSha256sum) {
  TempDir tmp;
  write_file(tmp / "etcd/member/snap/db", "database", 0600);
  write_file(tmp / "etcd/member/wal/odd name\\x.wal", "wal", 0600);
  write_file(tmp / "etcd/member/wal/empty.wal", "", 0600);
  const auto manifest = eb::create_backup_set(tmp / "etcd", tmp / "set");
  EXPECT_EQ(mode_of(tmp / "set/MANIFEST.sha256"), 0600u);
  EXPECT_EQ(eb::read_manifest(eb::real_file_system(), tmp / "set"), manifest);

  const auto checked = run_in(tmp / "set", {"sha256sum", "--strict", "-c", "MANIFEST.sha256"});
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  EXPECT_NE(checked.output.find("member/snap/db: OK"), std::string::npos) << checked.output;
  write_file(tmp / "set/member/snap/db", "databasf", 0600);
  EXPECT_NE(run_in(tmp / "set", {"sha256sum", "-c", "MANIFEST.sha256"}).exit_code, 0);
}
