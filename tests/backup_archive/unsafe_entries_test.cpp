// Hand-made archives with names that would write outside the target are
// refused before anything touches the disk, and nothing is left behind.
#include <gtest/gtest.h>

#include "archive/entry_names.h"
#include "archive_fixture.h"

namespace fs = std::filesystem;
using namespace backup_archive_test;

namespace {

class UnsafeEntries : public ArchiveTest {
 protected:
  // Unpacks a crafted tar of these entries; returns the error.
  std::string refusal(const std::vector<CraftedEntry> &entries) {
    write_crafted_tar(out("evil.tar"), entries);
    std::string message = "unpacked";
    try {
      eb::unpack_set(out("evil.tar"), out("target/restored"));
    } catch (const eb::ArchiveError &error) {
      message = error.what();
    }
    EXPECT_FALSE(fs::exists(out("target/restored"))) << message;
    EXPECT_FALSE(fs::exists(out("evil"))) << message;
    EXPECT_FALSE(fs::exists(out("target/evil"))) << message;
    bool verified = true;
    try {
      verified = eb::verify_archive(out("evil.tar")).ok();
    } catch (const eb::ArchiveError &) {
      verified = false;
    }
    EXPECT_FALSE(verified);
    fs::remove(out("evil.tar"));
    return message;
  }
  void SetUp() override {
    ArchiveTest::SetUp();
    fs::create_directory(out("target"));
  }
};

using Kind = CraftedEntry::Kind;

}  // namespace

TEST_F(UnsafeEntries, DotDotAndAbsoluteNamesAreRefused) {
  const std::string prefix = out("evil.tar").string() + ": refusing entry ";
  EXPECT_EQ(refusal({{Kind::kFile, "../evil", "x"}}), prefix + "'../evil': '..' component");
  EXPECT_EQ(refusal({{Kind::kDirectory, "a", ""}, {Kind::kFile, "a/../../evil", "x"}}),
            prefix + "'a/../../evil': '..' component");
  EXPECT_EQ(refusal({{Kind::kFile, out("evil").string(), "x"}}),
            prefix + "'" + out("evil").string() + "': absolute name");
  EXPECT_EQ(refusal({{Kind::kFile, "a//b", "x"}}), prefix + "'a//b': empty path component");
}

TEST_F(UnsafeEntries, SymlinksLeavingTheSetAreRefused) {
  const std::string prefix = out("evil.tar").string() + ": refusing entry ";
  EXPECT_EQ(refusal({{Kind::kSymlink, "up", "../.."}}), prefix + "'up': symlink target leaves the set ('../..')");
  EXPECT_EQ(refusal({{Kind::kDirectory, "a", ""}, {Kind::kSymlink, "a/up", "../../evil"}}),
            prefix + "'a/up': symlink target leaves the set ('../../evil')");
  EXPECT_EQ(refusal({{Kind::kSymlink, "etc", "/etc"}}), prefix + "'etc': absolute symlink target ('/etc')");
}

TEST_F(UnsafeEntries, NothingIsWrittenThroughASymlinkEvenOneInside) {
  // "in" stays inside the set, but a later entry below it would be written
  // through it; only directories unpacked before are accepted as parents.
  EXPECT_EQ(refusal({{Kind::kDirectory, "real", ""}, {Kind::kSymlink, "in", "real"}, {Kind::kFile, "in/evil", "x"}}),
            out("evil.tar").string() + ": refusing entry 'in/evil': its parent is not a directory unpacked before it");
}

TEST_F(UnsafeEntries, HardLinksDevicesAndDuplicatesAreRefused) {
  const std::string prefix = out("evil.tar").string() + ": refusing entry ";
  EXPECT_EQ(refusal({{Kind::kFile, "a", "x"}, {Kind::kHardlink, "b", "a"}}),
            prefix + "'b': hard links are not part of a backup set");
  const std::string twice = refusal({{Kind::kFile, "a", "x"}, {Kind::kFile, "a", "y"}});
  EXPECT_EQ(twice, prefix + "'a': it appears twice");
}

TEST_F(UnsafeEntries, ATargetThatExistedStaysButIsEmptiedOfWhatWasUnpacked) {
  write_crafted_tar(out("evil.tar"), {{Kind::kFile, "fine", "x"}, {Kind::kFile, "../evil", "x"}});
  fs::create_directory(out("target/restored"));
  EXPECT_THROW(eb::unpack_set(out("evil.tar"), out("target/restored")), eb::ArchiveError);
  EXPECT_TRUE(fs::is_empty(out("target/restored")));
  EXPECT_FALSE(fs::exists(out("target/evil")));
}

TEST(EntryNames, AcceptsTarSpellingsOfSafeNames) {
  EXPECT_EQ(eb::check_entry_name("./").path, ".");
  EXPECT_EQ(eb::check_entry_name(".").path, ".");
  EXPECT_EQ(eb::check_entry_name("member/snap/").path, "member/snap");
  EXPECT_EQ(eb::check_entry_name("./member/snap/db").path, "member/snap/db");
  EXPECT_FALSE(eb::check_entry_name("member/./db").ok());
  EXPECT_EQ(eb::symlink_escape("member/db-link", "snap/db"), "");
  EXPECT_EQ(eb::symlink_escape("member/up", "../MANIFEST.sha256"), "");
  EXPECT_NE(eb::symlink_escape("member/up", "../../x"), "");
}
