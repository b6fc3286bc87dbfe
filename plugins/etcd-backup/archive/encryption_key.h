//===- archive/encryption_key.h - the AES-256 key of etcd-backup archives ----
//
// etcd-backup.encryption-key-file holds the key: exactly 32 raw bytes, or 64
// hex characters optionally followed by one newline (what
// `openssl rand -hex 32 > key` writes). A snapshot holds every Secret of the
// cluster (etcd.md §4), so the key file must not be readable by anyone but
// its owner, and the key bytes are wiped from memory when no longer needed.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENCRYPTION_KEY_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENCRYPTION_KEY_H

#include <array>
#include <cstddef>
#include <filesystem>
#include <span>

namespace kuphost_plugins::etcd_backup {

// 32 key bytes, wiped (OPENSSL_cleanse) on destruction and when moved from.
// Move-only, so no stray copy outlives the one the caller owns.
class EncryptionKey {
 public:
  static constexpr std::size_t kSize = 32;

  explicit EncryptionKey(std::span<const std::byte, kSize> bytes);
  ~EncryptionKey();
  EncryptionKey(EncryptionKey &&other) noexcept;
  EncryptionKey &operator=(EncryptionKey &&other) noexcept;
  EncryptionKey(const EncryptionKey &) = delete;
  EncryptionKey &operator=(const EncryptionKey &) = delete;

  std::span<const std::byte, kSize> bytes() const { return bytes_; }

 private:
  std::array<std::byte, kSize> bytes_{};
};

// Reads and checks a key file. Throws ArchiveError with one line naming the
// file: not a regular file, accessible by group or others (with the chmod
// to run), or neither of the two accepted forms.
EncryptionKey load_encryption_key(const std::filesystem::path &key_file);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENCRYPTION_KEY_H
