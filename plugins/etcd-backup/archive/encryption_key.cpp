#include "encryption_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "archive_error.h"
#include "backup_set/io.h"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr std::size_t kHexSize = 2 * EncryptionKey::kSize;
constexpr const char *kAcceptedForms =
    "expected exactly 32 raw bytes or 64 hex characters with an optional newline (openssl rand -hex 32 > FILE)";

std::optional<unsigned> hex_value(std::byte c) {
  const auto ch = static_cast<unsigned char>(c);
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return std::nullopt;
}

// The file's bytes, wiped when this goes out of scope.
struct WipedBuffer {
  std::array<std::byte, kHexSize + 2> data{};  // one more than the longest form
  ~WipedBuffer() { OPENSSL_cleanse(data.data(), data.size()); }
};

}  // namespace

EncryptionKey::EncryptionKey(std::span<const std::byte, kSize> bytes) {
  std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

EncryptionKey::~EncryptionKey() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

EncryptionKey::EncryptionKey(EncryptionKey &&other) noexcept : bytes_(other.bytes_) {
  OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
}

EncryptionKey &EncryptionKey::operator=(EncryptionKey &&other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

EncryptionKey load_encryption_key(const std::filesystem::path &key_file) {
  FileSystem &fs = real_file_system();
  const std::string name = key_file.string();
  // The checks look at the opened file itself (fstat), so a rename between
  // the check and the read cannot swap in another file.
  OpenFile file(fs, key_file, O_RDONLY | O_CLOEXEC);
  const struct stat status = file.status();
  if (!S_ISREG(status.st_mode)) throw ArchiveError("encryption key file " + name + " is not a regular file");
  if ((status.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
    throw ArchiveError("encryption key file " + name + " is accessible by group or others (mode " + mode +
                       "); run: chmod 600 " + name);
  }
  WipedBuffer buffer;
  const std::size_t size = read_full(fs, file.fd(), buffer.data, key_file);
  std::array<std::byte, EncryptionKey::kSize> key{};
  struct WipeKey {
    std::array<std::byte, EncryptionKey::kSize> &key;
    ~WipeKey() { OPENSSL_cleanse(key.data(), key.size()); }
  } wipe_key{key};

  if (size == EncryptionKey::kSize) {
    std::copy_n(buffer.data.begin(), EncryptionKey::kSize, key.begin());
    return EncryptionKey(key);
  }
  const bool hex_size = size == kHexSize || (size == kHexSize + 1 && buffer.data[kHexSize] == std::byte{'\n'});
  if (hex_size) {
    bool all_hex = true;
    for (std::size_t i = 0; i < EncryptionKey::kSize; ++i) {
      const auto high = hex_value(buffer.data[2 * i]);
      const auto low = hex_value(buffer.data[2 * i + 1]);
      if (!high || !low) {
        all_hex = false;
        break;
      }
      key[i] = static_cast<std::byte>(*high << 4 | *low);
    }
    if (all_hex) return EncryptionKey(key);
  }
  const std::string found = size > kHexSize + 1 ? "66 bytes or more" : std::to_string(size) + " bytes";
  throw ArchiveError("encryption key file " + name + " is not a key: " + kAcceptedForms + ", found " + found +
                     (hex_size ? " with a non-hex character" : ""));
}

}  // namespace kuphost_plugins::etcd_backup
