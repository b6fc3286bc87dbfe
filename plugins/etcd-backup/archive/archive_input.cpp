#include "archive_input.h"

#include <fcntl.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "archive_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {
constexpr std::size_t kBlockSize = std::size_t{1} << 20;
}

ArchiveInput::ArchiveInput(const std::filesystem::path &archive_path, const std::optional<EncryptionKey> &key,
                           FileSystem &fs)
    : fs_(fs), name_(archive_path.string()), file_(fs, archive_path, O_RDONLY | O_CLOEXEC), buffer_(kBlockSize) {
  fs_.advise_sequential(file_.fd());
  prefetched_ = std::span(buffer_).first(read_full(fs_, file_.fd(), buffer_, archive_path));
  const bool encrypted = starts_with_encrypted_magic(prefetched_);
  if (encrypted && !key)
    throw ArchiveError(name_ + " is encrypted; give the key (etcd-backup.encryption-key-file)");
  if (!encrypted && key)
    throw ArchiveError(name_ + " is not encrypted (no " + std::string(kEncryptedMagic) +
                       " header) but an encryption key was given; refusing an unauthenticated archive");
  if (encrypted)
    decryptor_ = std::make_unique<DecryptingReader>(
        *key, [this](std::span<std::byte> out) { return read_file(out); }, name_);

  reader_.reset(archive_read_new());
  if (!reader_) throw ArchiveError("libarchive: out of memory");
  archive *a = reader_.get();
  if (archive_read_support_filter_zstd(a) != ARCHIVE_OK || archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
      archive_read_support_format_tar(a) != ARCHIVE_OK)
    fail("libarchive lacks zstd, gzip or tar");
  if (archive_read_open(a, this, nullptr, &ArchiveInput::read_callback, nullptr) != ARCHIVE_OK)
    fail("not a tar, tar.zst or tar.gz archive");
}

ArchiveInput::~ArchiveInput() { OPENSSL_cleanse(buffer_.data(), buffer_.size()); }

archive_entry *ArchiveInput::next_entry() {
  archive_entry *entry = nullptr;
  const int status = archive_read_next_header(reader_.get(), &entry);
  if (status == ARCHIVE_EOF) {
    // libarchive stops at tar's end marker; the rest must still be read so
    // that a cut or changed end of an encrypted file does not go unnoticed.
    while (!next_block().empty()) {
    }
    return nullptr;
  }
  // ARCHIVE_RETRY (a damaged header that libarchive would skip) is a failure
  // too: a backup is read whole or not at all.
  if (status != ARCHIVE_OK && status != ARCHIVE_WARN) fail("cannot read the next entry");
  return entry;
}

std::size_t ArchiveInput::read_data(std::span<std::byte> buffer) {
  const la_ssize_t n = archive_read_data(reader_.get(), buffer.data(), buffer.size());
  if (n < 0) fail("cannot read an entry's data");
  return static_cast<std::size_t>(n);
}

la_ssize_t ArchiveInput::read_callback(archive *a, void *self, const void **buffer) {
  auto *input = static_cast<ArchiveInput *>(self);
  try {
    const auto block = input->next_block();
    *buffer = block.data();
    return static_cast<la_ssize_t>(block.size());
  } catch (...) {
    input->error_ = std::current_exception();
    archive_set_error(a, EIO, "read failed");
    return -1;
  }
}

std::span<const std::byte> ArchiveInput::next_block() {
  if (decryptor_) return decryptor_->next();
  const std::size_t n = read_file(buffer_);
  return std::span(buffer_).first(n);
}

std::size_t ArchiveInput::read_file(std::span<std::byte> out) {
  std::size_t filled = std::min(out.size(), prefetched_.size());
  // memmove: the plain path reads into buffer_, where prefetched_ lives.
  std::memmove(out.data(), prefetched_.data(), filled);
  prefetched_ = prefetched_.subspan(filled);
  if (filled < out.size()) filled += read_full(fs_, file_.fd(), out.subspan(filled), name_);
  return filled;
}

void ArchiveInput::fail(const char *what) {
  if (error_) std::rethrow_exception(error_);
  const char *detail = archive_error_string(reader_.get());
  throw ArchiveError(name_ + ": " + what + ": " + (detail ? detail : "libarchive error"));
}

}  // namespace kuphost_plugins::etcd_backup
