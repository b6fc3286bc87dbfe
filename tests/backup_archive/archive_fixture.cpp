#include <gtest/gtest.h>

#include "archive_fixture.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <stdexcept>

#include "backup_set/backup_set.h"

namespace fs = std::filesystem;

namespace backup_archive_test {

eb::EncryptionKey test_key(unsigned char fill) {
  std::array<std::byte, eb::EncryptionKey::kSize> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(fill + i);
  return eb::EncryptionKey(bytes);
}

std::string read_bytes(const fs::path &path) { return backup_set_test::read_file(path); }

void overwrite_bytes(const fs::path &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void flip_byte(const fs::path &path, std::size_t offset) {
  std::string bytes = read_bytes(path);
  if (offset >= bytes.size()) throw std::runtime_error("flip_byte: offset past the end of " + path.string());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x01);
  overwrite_bytes(path, bytes);
}

void truncate_to(const fs::path &path, std::size_t size) {
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0)
    throw std::runtime_error("cannot truncate " + path.string());
}

std::size_t chunk_offset(std::size_t chunk_size, std::size_t index) {
  return eb::kEncryptedHeaderSize + index * (chunk_size + eb::kEncryptionTagSize);
}

std::vector<std::string> names_in(const fs::path &dir) {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void write_crafted_tar(const fs::path &path, const std::vector<CraftedEntry> &entries) {
  archive *a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (archive_write_open_filename(a, path.c_str()) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a));
  for (const auto &crafted : entries) {
    archive_entry *entry = archive_entry_new();
    archive_entry_set_pathname(entry, crafted.name.c_str());
    archive_entry_set_perm(entry, crafted.mode);
    switch (crafted.kind) {
      case CraftedEntry::kFile:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_size(entry, static_cast<la_int64_t>(crafted.content_or_target.size()));
        break;
      case CraftedEntry::kDirectory: archive_entry_set_filetype(entry, AE_IFDIR); break;
      case CraftedEntry::kSymlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, crafted.content_or_target.c_str());
        break;
      case CraftedEntry::kHardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, crafted.content_or_target.c_str());
        break;
    }
    if (archive_write_header(a, entry) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a));
    if (crafted.kind == CraftedEntry::kFile)
      archive_write_data(a, crafted.content_or_target.data(), crafted.content_or_target.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

void ArchiveTest::SetUp() {
  backup_set_test::make_sample_tree(tmp_ / "etcd");
  eb::create_backup_set(tmp_ / "etcd", set());
}

}  // namespace backup_archive_test
