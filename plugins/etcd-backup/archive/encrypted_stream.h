//===- archive/encrypted_stream.h - chunked AES-256-GCM, streamed ------------
//
// The ".kenc" format (FORMAT.md has the same with a worked example):
//
//   header, 40 bytes:
//     0  13  magic "KUPHOST-ENC-1"
//    13   1  version, 1
//    14   1  algorithm, 1 = AES-256-GCM with an HKDF-SHA256 file key
//    15   1  reserved, 0
//    16   4  chunk size C: plaintext bytes of every chunk but the last
//            (big-endian; 4 KiB ... 16 MiB, default 1 MiB)
//    20  16  salt, random per file
//    36   4  nonce prefix, random per file
//   chunks 0, 1, ..., n-1, each: ciphertext (C bytes; the last 0 ... C),
//   then its 16-byte GCM tag. Nothing follows the last chunk.
//
//   file key = HKDF-SHA256(key file's 32 bytes, salt, "kuphost-enc-1 file key")
//   nonce(i) = nonce prefix || i as 8-byte big-endian
//   AAD(i)   = the 40 header bytes || i as 8-byte big-endian || final flag
//              (1 for the last chunk, 0 otherwise)
//
// Why: the file key is new for every file, so nonces never repeat under one
// key however many archives a key file protects. The header in every AAD
// authenticates it (a changed chunk size or salt fails chunk 0). The index
// makes reordered or dropped chunks fail; the final flag makes a file cut
// at a chunk boundary fail: its new last chunk was sealed as "not final".
// A reader never hands out plaintext whose tag it has not checked.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENCRYPTED_STREAM_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENCRYPTED_STREAM_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "encryption_key.h"

struct evp_cipher_ctx_st;

namespace kuphost_plugins::etcd_backup {

inline constexpr std::string_view kEncryptedMagic = "KUPHOST-ENC-1";
inline constexpr std::size_t kEncryptedHeaderSize = 40;
inline constexpr std::size_t kEncryptionTagSize = 16;
inline constexpr std::size_t kDefaultEncryptionChunkSize = std::size_t{1} << 20;
inline constexpr std::size_t kMinEncryptionChunkSize = std::size_t{4} << 10;
inline constexpr std::size_t kMaxEncryptionChunkSize = std::size_t{16} << 20;

// Where ciphertext goes; throws on failure.
using ByteSink = std::function<void(std::span<const std::byte>)>;
// Fills the buffer; returns fewer bytes only at the end of the input.
using ByteSource = std::function<std::size_t(std::span<std::byte>)>;

// True when `first_bytes` (the start of a file) begin with the magic.
bool starts_with_encrypted_magic(std::span<const std::byte> first_bytes);

namespace detail {
struct FreeCipherContext {
  void operator()(evp_cipher_ctx_st *context) const;
};
using CipherContext = std::unique_ptr<evp_cipher_ctx_st, FreeCipherContext>;
}  // namespace detail

// Buffers one chunk; writes the header at construction and each chunk once
// the next byte shows it is not the last.
class EncryptingWriter {
 public:
  EncryptingWriter(const EncryptionKey &key, ByteSink sink, std::size_t chunk_size = kDefaultEncryptionChunkSize);
  ~EncryptingWriter();
  EncryptingWriter(const EncryptingWriter &) = delete;
  EncryptingWriter &operator=(const EncryptingWriter &) = delete;

  void write(std::span<const std::byte> data);
  // Seals the buffered rest (possibly empty) as the final chunk.
  void finish();

 private:
  void seal(bool final_chunk);

  ByteSink sink_;
  std::array<std::byte, kEncryptedHeaderSize> header_{};
  std::array<std::byte, 4> nonce_prefix_{};
  detail::CipherContext context_;
  std::vector<std::byte> plain_;   // up to chunk size
  std::vector<std::byte> sealed_;  // ciphertext and tag of one chunk
  std::size_t chunk_size_;
  std::uint64_t chunk_index_ = 0;
  bool finished_ = false;
};

// Reads the header at construction (throws ArchiveError if it is not one)
// and returns authenticated plaintext chunk by chunk. `name` (the file)
// starts every error message.
class DecryptingReader {
 public:
  DecryptingReader(const EncryptionKey &key, ByteSource source, std::string name);
  ~DecryptingReader();
  DecryptingReader(const DecryptingReader &) = delete;
  DecryptingReader &operator=(const DecryptingReader &) = delete;

  // The next chunk's plaintext, valid until the next call; empty after the
  // final chunk. Throws ArchiveError on an authentication failure (naming the
  // chunk), a truncated file, or data after the final chunk.
  std::span<const std::byte> next();

 private:
  bool open(std::span<const std::byte> sealed, bool final_chunk);

  ByteSource source_;
  std::string name_;
  std::array<std::byte, kEncryptedHeaderSize> header_{};
  std::array<std::byte, 4> nonce_prefix_{};
  detail::CipherContext context_;
  std::size_t chunk_size_ = 0;
  std::vector<std::byte> sealed_;  // one chunk's ciphertext and tag, plus one look-ahead byte
  std::vector<std::byte> plain_;
  std::optional<std::byte> carried_;  // the look-ahead byte: first of the next chunk
  std::uint64_t chunk_index_ = 0;
  bool done_ = false;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENCRYPTED_STREAM_H
