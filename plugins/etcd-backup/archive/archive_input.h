//===- archive/archive_input.h - read an archive file entry by entry ---------
//
// The reading half shared by unpack_set and verify_archive: the file, then
// decryption when it starts with the encryption magic, then libarchive
// (zstd, gzip or no compression; tar). One pass, a few MiB of memory.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_INPUT_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_INPUT_H

#include <cstddef>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archive_handles.h"
#include "backup_set/file_system.h"
#include "backup_set/io.h"
#include "encrypted_stream.h"
#include "encryption_key.h"

namespace kuphost_plugins::etcd_backup {

class ArchiveInput {
 public:
  // Opens the file and reads its start (so a wrong key or a file that is no
  // archive fails here, before the caller creates anything). An encrypted
  // file needs `key`; with `key`, a file that is not encrypted is refused,
  // so nobody can swap an encrypted archive for a forged plain one.
  ArchiveInput(const std::filesystem::path &archive_path, const std::optional<EncryptionKey> &key, FileSystem &fs);
  ~ArchiveInput();
  ArchiveInput(const ArchiveInput &) = delete;
  ArchiveInput &operator=(const ArchiveInput &) = delete;

  // The next entry (owned by libarchive, valid until the next call), or
  // nullptr at the end, after the rest of the file was read and, when
  // encrypted, authenticated up to the final chunk.
  archive_entry *next_entry();
  // The current entry's data; 0 at its end.
  std::size_t read_data(std::span<std::byte> buffer);

  const std::string &name() const { return name_; }

 private:
  static la_ssize_t read_callback(archive *a, void *self, const void **buffer);
  std::span<const std::byte> next_block();
  std::size_t read_file(std::span<std::byte> buffer);
  [[noreturn]] void fail(const char *what);

  FileSystem &fs_;
  std::string name_;
  OpenFile file_;
  std::vector<std::byte> buffer_;
  std::span<const std::byte> prefetched_;  // read to look for the magic, not yet handed on
  std::unique_ptr<DecryptingReader> decryptor_;
  std::exception_ptr error_;
  ArchiveReader reader_;  // last: freed first, while what its callback uses still exists
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_INPUT_H
