// verify_set names each problem by the path relative to the set.
#include <gtest/gtest.h>

#include "backup_set/backup_set.h"
#include "tree_fixture.h"

namespace eb = kuphost_plugins::etcd_backup;
namespace fs = std::filesystem;
using namespace backup_set_test;

namespace {

class VerifySet : public ::testing::Test {
 protected:
  void SetUp() override {
    make_sample_tree(tmp_ / "etcd");
    eb::create_backup_set(tmp_ / "etcd", set());
  }
  fs::path set() const { return tmp_ / "set"; }

  std::vector<std::string> described_problems() {
    std::vector<std::string> lines;
    for (const auto &problem : eb::verify_set(set()).problems) lines.push_back(eb::describe(problem));
    return lines;
  }

  TempDir tmp_;
};

}  // namespace

TEST_F(VerifySet, AFreshSetIsClean) { EXPECT_TRUE(eb::verify_set(set()).ok()); }

TEST_F(VerifySet, FindsAFlippedByteAndAMissingFileAndNamesThem) {
  std::string db = read_file(set() / "member/snap/db");
  db[12345] ^= 0x20;
  write_file(set() / "member/snap/db", db, 0600);
  fs::remove(set() / "member/wal/0000000000000000-0000000000000000.wal");

  const auto report = eb::verify_set(set());
  ASSERT_EQ(report.problems.size(), 2u) << ::testing::PrintToString(described_problems());
  EXPECT_EQ(report.problems[0].kind, eb::ProblemKind::kContentChanged);
  EXPECT_EQ(report.problems[0].path, "member/snap/db");
  EXPECT_EQ(report.problems[1].kind, eb::ProblemKind::kMissing);
  EXPECT_EQ(report.problems[1].path, "member/wal/0000000000000000-0000000000000000.wal");
  EXPECT_TRUE(eb::describe(report.problems[0]).starts_with("member/snap/db: content changed (sha256 "))
      << eb::describe(report.problems[0]);
  EXPECT_EQ(eb::describe(report.problems[1]), "member/wal/0000000000000000-0000000000000000.wal: missing (a file)");
}

TEST_F(VerifySet, FindsExtraFilesSizeAndModeChangesAndRetargetedLinks) {
  write_file(set() / "member/wal/stray.wal", "x", 0600);
  write_file(set() / "with space/a file", "spaced and longer", 0600);
  ::chmod((set() / "member/snap/db").c_str(), 0644);
  fs::remove(set() / "member/db-link");
  fs::create_symlink("/etc/passwd", set() / "member/db-link");

  const std::vector<std::string> expected = {
      "member/db-link: content changed (points to '/etc/passwd', the manifest says 'snap/db')",
      "member/snap/db: mode changed (0600 expected, 0644 found)",
      "with space/a file: size changed (6 bytes in the manifest, 17 found)",
      "member/wal/stray.wal: not in the manifest (a file)",
  };
  EXPECT_EQ(described_problems(), expected);
}

TEST_F(VerifySet, ADirectoryReplacedByAFileIsATypeChange) {
  fs::remove_all(set() / "empty dir");
  write_file(set() / "empty dir", "", 0600);
  const auto report = eb::verify_set(set());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].kind, eb::ProblemKind::kTypeChanged);
  EXPECT_EQ(report.problems[0].path, "empty dir");
}

TEST_F(VerifySet, ASetWithoutManifestIsIncomplete) {
  fs::remove(set() / "MANIFEST.sha256");
  const auto report = eb::verify_set(set());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].kind, eb::ProblemKind::kIncomplete);
  EXPECT_EQ(eb::describe(report.problems[0]),
            "MANIFEST.sha256: incomplete set (no manifest: the backup did not finish)");
}
