// read_set_files (kuphost.backup-set/1's read_file): the node files of a
// real backup set, directory or encrypted archive, checked against the set's
// manifest; a changed copy is named.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "archive_fixture.h"
#include "core/set_files.h"

namespace backup_archive_test {
namespace {

namespace fs = std::filesystem;

class SetFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path tree = tmp_ / "tree";
    fs::create_directories(tree / "files/etc/kubernetes/pki");
    write(tree / "files/etc/kubernetes/pki/ca.crt", "CA CERT");
    write(tree / "files/etc/kubernetes/admin.conf", "kind: Config");
    write(tree / "etcd-snapshot.db", std::string(3 << 20, 'x'));
    fs::create_directories(tmp_ / "backups");
    eb::create_backup_set(tree, tmp_ / "backups/kuphost-backup-1");
    resolve_ = [this](const std::string &node_path) { return tmp_.path() / node_path.substr(1); };
  }
  static void write(const fs::path &path, const std::string &text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  eb::BackupEntry entry(const std::string &node_path, bool packed) const {
    eb::BackupEntry e;
    e.node_path = node_path;
    e.packed = packed;
    e.complete = true;
    return e;
  }

  backup_set_test::TempDir tmp_;
  eb::PathResolver resolve_;
};

TEST_F(SetFilesTest, ADirectorySetGivesItsNodeFilesBack) {
  const auto files = eb::read_set_files(resolve_, entry("/backups/kuphost-backup-1", false), "");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files.at("/etc/kubernetes/pki/ca.crt"), "CA CERT");
  EXPECT_EQ(files.at("/etc/kubernetes/admin.conf"), "kind: Config");
  write(tmp_ / "backups/kuphost-backup-1/files/etc/kubernetes/admin.conf", "kind: Tampered");
  try {
    eb::read_set_files(resolve_, entry("/backups/kuphost-backup-1", false), "");
    FAIL() << "a changed copy was accepted";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("files/etc/kubernetes/admin.conf does not match"), std::string::npos)
        << e.what();
  }
}

TEST_F(SetFilesTest, AnEncryptedArchiveIsReadOnceWithTheKey) {
  const fs::path archive = tmp_ / "backups/kuphost-backup-1.tar.zst.kenc";
  eb::pack_set(tmp_ / "backups/kuphost-backup-1", archive, eb::ArchiveFormat::kTarZstd, test_key());
  write(tmp_ / "key", std::string(64, '4'));  // 0x44 0x44 ...: not the key
  ::chmod((tmp_ / "key").c_str(), 0600);
  EXPECT_THROW(eb::read_set_files(resolve_, entry("/backups/kuphost-backup-1.tar.zst.kenc", true), "/key"),
               std::exception);  // the wrong key
  std::string hex;  // test_key(): 0x42, 0x43, ...
  for (int i = 0; i < 32; ++i) {
    char byte[3];
    std::snprintf(byte, sizeof byte, "%02x", 0x42 + i);
    hex += byte;
  }
  write(tmp_ / "key", hex);
  const auto files = eb::read_set_files(resolve_, entry("/backups/kuphost-backup-1.tar.zst.kenc", true), "/key");
  EXPECT_EQ(files.at("/etc/kubernetes/pki/ca.crt"), "CA CERT");
  EXPECT_EQ(files.count("/etcd-snapshot.db"), 0u);
}

}  // namespace
}  // namespace backup_archive_test
