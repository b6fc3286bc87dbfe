// Helpers for the archive tests: a real backup set of the sample tree, keys,
// byte-level edits of archive files, and hand-made tar files.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "archive/backup_archive.h"
#include "backup_set/backup_set.h"
#include "tree_fixture.h"

namespace backup_archive_test {

namespace eb = kuphost_plugins::etcd_backup;

eb::EncryptionKey test_key(unsigned char fill = 0x42);

// Reads/writes a whole file as bytes (write keeps the file's mode).
std::string read_bytes(const std::filesystem::path &path);
void overwrite_bytes(const std::filesystem::path &path, const std::string &bytes);
void flip_byte(const std::filesystem::path &path, std::size_t offset);
void truncate_to(const std::filesystem::path &path, std::size_t size);

// Where chunk `index` of an encrypted file with `chunk_size` starts.
std::size_t chunk_offset(std::size_t chunk_size, std::size_t index);

// True when `dir` holds nothing but `allowed` names.
std::vector<std::string> names_in(const std::filesystem::path &dir);

// One entry of a hand-made tar: a file (content), directory, symlink
// (target) or hard link (target).
struct CraftedEntry {
  enum Kind { kFile, kDirectory, kSymlink, kHardlink } kind = kFile;
  std::string name;
  std::string content_or_target;
  mode_t mode = 0600;
};
void write_crafted_tar(const std::filesystem::path &path, const std::vector<CraftedEntry> &entries);

// A temporary directory holding a backup set of the sample tree at set().
class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override;
  std::filesystem::path set() const { return tmp_ / "set"; }
  std::filesystem::path out(const std::string &name) const { return tmp_ / name; }

  backup_set_test::TempDir tmp_;
};

}  // namespace backup_archive_test
