#include "encrypted_stream.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "archive_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr std::byte kVersion{1};
constexpr std::byte kAlgorithmAes256GcmHkdf{1};
constexpr std::size_t kChunkSizeOffset = 16;
constexpr std::size_t kSaltOffset = 20;
constexpr std::size_t kSaltSize = 16;
constexpr std::size_t kNoncePrefixOffset = 36;
constexpr std::size_t kNonceSize = 12;
constexpr std::string_view kFileKeyInfo = "kuphost-enc-1 file key";

unsigned char *u8(std::byte *p) { return reinterpret_cast<unsigned char *>(p); }
const unsigned char *u8(const std::byte *p) { return reinterpret_cast<const unsigned char *>(p); }

[[noreturn]] void openssl_failed(const char *what) {
  throw ArchiveError(std::string("OpenSSL failed: ") + what);
}

void put_be(std::byte *out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) out[i] = static_cast<std::byte>(value & 0xff);
}

std::uint64_t get_be(const std::byte *in, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = value << 8 | static_cast<std::uint64_t>(in[i]);
  return value;
}

// A cipher context keyed with this file's key (derived, used, wiped).
detail::CipherContext keyed_context(const EncryptionKey &key, std::span<const std::byte> salt, bool encrypt) {
  std::array<unsigned char, EncryptionKey::kSize> file_key{};
  struct Wipe {
    std::array<unsigned char, EncryptionKey::kSize> &key;
    ~Wipe() { OPENSSL_cleanse(key.data(), key.size()); }
  } wipe{file_key};

  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr), EVP_KDF_free);
  if (!kdf) openssl_failed("no HKDF");
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> kdf_context(EVP_KDF_CTX_new(kdf.get()),
                                                                         EVP_KDF_CTX_free);
  if (!kdf_context) openssl_failed("EVP_KDF_CTX_new");
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::byte *>(key.bytes().data()),
                                        key.bytes().size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::byte *>(salt.data()), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char *>(kFileKeyInfo.data()),
                                        kFileKeyInfo.size()),
      OSSL_PARAM_construct_end()};
  if (EVP_KDF_derive(kdf_context.get(), file_key.data(), file_key.size(), params) != 1)
    openssl_failed("HKDF derive");

  detail::CipherContext context(EVP_CIPHER_CTX_new());
  if (!context) openssl_failed("EVP_CIPHER_CTX_new");
  const int ok = encrypt ? EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, file_key.data(), nullptr)
                         : EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, file_key.data(), nullptr);
  if (ok != 1) openssl_failed("AES-256-GCM init");
  return context;
}

std::array<std::byte, kNonceSize> chunk_nonce(std::span<const std::byte, 4> prefix, std::uint64_t index) {
  std::array<std::byte, kNonceSize> nonce{};
  std::copy(prefix.begin(), prefix.end(), nonce.begin());
  put_be(nonce.data() + 4, index, 8);
  return nonce;
}

std::array<std::byte, kEncryptedHeaderSize + 9> chunk_aad(std::span<const std::byte, kEncryptedHeaderSize> header,
                                                          std::uint64_t index, bool final_chunk) {
  std::array<std::byte, kEncryptedHeaderSize + 9> aad{};
  std::copy(header.begin(), header.end(), aad.begin());
  put_be(aad.data() + kEncryptedHeaderSize, index, 8);
  aad.back() = final_chunk ? std::byte{1} : std::byte{0};
  return aad;
}

}  // namespace

void detail::FreeCipherContext::operator()(evp_cipher_ctx_st *context) const { EVP_CIPHER_CTX_free(context); }

bool starts_with_encrypted_magic(std::span<const std::byte> first_bytes) {
  return first_bytes.size() >= kEncryptedMagic.size() &&
         std::memcmp(first_bytes.data(), kEncryptedMagic.data(), kEncryptedMagic.size()) == 0;
}

EncryptingWriter::EncryptingWriter(const EncryptionKey &key, ByteSink sink, std::size_t chunk_size)
    : sink_(std::move(sink)), chunk_size_(chunk_size) {
  if (chunk_size < kMinEncryptionChunkSize || chunk_size > kMaxEncryptionChunkSize)
    throw ArchiveError("encryption chunk size " + std::to_string(chunk_size) + " is outside 4 KiB ... 16 MiB");
  std::memcpy(header_.data(), kEncryptedMagic.data(), kEncryptedMagic.size());
  header_[13] = kVersion;
  header_[14] = kAlgorithmAes256GcmHkdf;
  put_be(header_.data() + kChunkSizeOffset, chunk_size, 4);
  if (RAND_bytes(u8(header_.data() + kSaltOffset), kSaltSize + 4) != 1) openssl_failed("RAND_bytes");
  std::copy_n(header_.begin() + kNoncePrefixOffset, 4, nonce_prefix_.begin());
  context_ = keyed_context(key, std::span(header_).subspan(kSaltOffset, kSaltSize), true);
  plain_.reserve(chunk_size);
  sealed_.resize(chunk_size + kEncryptionTagSize);
  sink_(header_);
}

EncryptingWriter::~EncryptingWriter() { OPENSSL_cleanse(plain_.data(), plain_.capacity()); }

void EncryptingWriter::write(std::span<const std::byte> data) {
  while (!data.empty()) {
    // A full buffer is sealed only now that more data shows it is not final.
    if (plain_.size() == chunk_size_) seal(false);
    const std::size_t take = std::min(data.size(), chunk_size_ - plain_.size());
    plain_.insert(plain_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
  }
}

void EncryptingWriter::finish() {
  if (finished_) return;
  seal(true);
  finished_ = true;
}

void EncryptingWriter::seal(bool final_chunk) {
  const auto nonce = chunk_nonce(nonce_prefix_, chunk_index_);
  const auto aad = chunk_aad(header_, chunk_index_, final_chunk);
  EVP_CIPHER_CTX *context = context_.get();
  int length = 0;
  int tail = 0;
  if (EVP_EncryptInit_ex(context, nullptr, nullptr, nullptr, u8(nonce.data())) != 1 ||
      EVP_EncryptUpdate(context, nullptr, &length, u8(aad.data()), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(context, u8(sealed_.data()), &length, u8(plain_.data()), static_cast<int>(plain_.size())) !=
          1 ||
      EVP_EncryptFinal_ex(context, u8(sealed_.data()) + length, &tail) != 1)
    openssl_failed("AES-256-GCM encrypt");
  const std::size_t cipher_size = static_cast<std::size_t>(length + tail);
  if (EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, kEncryptionTagSize, sealed_.data() + cipher_size) != 1)
    openssl_failed("AES-256-GCM tag");
  sink_(std::span(sealed_).first(cipher_size + kEncryptionTagSize));
  OPENSSL_cleanse(plain_.data(), plain_.size());
  plain_.clear();
  ++chunk_index_;
}

DecryptingReader::DecryptingReader(const EncryptionKey &key, ByteSource source, std::string name)
    : source_(std::move(source)), name_(std::move(name)) {
  const std::size_t got = source_(header_);
  if (!starts_with_encrypted_magic(std::span(header_).first(got)))
    throw ArchiveError(name_ + ": not a kuphost encrypted file (no " + std::string(kEncryptedMagic) + " header)");
  if (got < kEncryptedHeaderSize) throw ArchiveError(name_ + ": truncated (ends inside the header)");
  if (header_[13] != kVersion || header_[14] != kAlgorithmAes256GcmHkdf || header_[15] != std::byte{0})
    throw ArchiveError(name_ + ": unsupported encryption version or algorithm (" +
                       std::to_string(static_cast<int>(header_[13])) + "/" +
                       std::to_string(static_cast<int>(header_[14])) + ")");
  chunk_size_ = get_be(header_.data() + kChunkSizeOffset, 4);
  // Checked before allocating: the header is authenticated only with chunk 0.
  if (chunk_size_ < kMinEncryptionChunkSize || chunk_size_ > kMaxEncryptionChunkSize)
    throw ArchiveError(name_ + ": corrupted header (chunk size " + std::to_string(chunk_size_) + ")");
  std::copy_n(header_.begin() + kNoncePrefixOffset, 4, nonce_prefix_.begin());
  context_ = keyed_context(key, std::span(header_).subspan(kSaltOffset, kSaltSize), false);
  sealed_.resize(chunk_size_ + kEncryptionTagSize + 1);
  plain_.resize(chunk_size_);
}

DecryptingReader::~DecryptingReader() { OPENSSL_cleanse(plain_.data(), plain_.size()); }

std::span<const std::byte> DecryptingReader::next() {
  if (done_) return {};
  // Read one whole sealed chunk and one byte more: that byte tells whether
  // this chunk is the last one, and is carried over as the next chunk's first.
  std::size_t filled = 0;
  if (carried_) sealed_[filled++] = *std::exchange(carried_, std::nullopt);
  filled += source_(std::span(sealed_).subspan(filled));
  const std::size_t full = chunk_size_ + kEncryptionTagSize;
  const bool final_chunk = filled <= full;
  if (!final_chunk) {
    carried_ = sealed_[full];
    filled = full;
  }
  const std::string where = "chunk " + std::to_string(chunk_index_);
  // Only chunk 0 can come back empty: a later one has at least the carried byte.
  if (filled < kEncryptionTagSize) throw ArchiveError(name_ + ": truncated (ends inside " + where + ")");
  const auto sealed = std::span(sealed_).first(filled);
  if (!open(sealed, final_chunk)) {
    // Sealed as "not final" though nothing follows: the file was cut right
    // after a chunk. Checking that costs one more decryption, on failure only.
    if (final_chunk && filled == full && open(sealed, false))
      throw ArchiveError(name_ + ": truncated (ends after " + where + " without a final chunk)");
    if (chunk_index_ == 0)
      throw ArchiveError(name_ + ": wrong encryption key or corrupted file (authentication failed at chunk 0)");
    if (final_chunk && filled < full)
      throw ArchiveError(name_ + ": truncated or corrupted (authentication failed at " + where +
                         ", the last and shorter than a full chunk)");
    throw ArchiveError(name_ + ": corrupted file (authentication failed at " + where + ")");
  }
  ++chunk_index_;
  done_ = final_chunk;
  return std::span(plain_).first(filled - kEncryptionTagSize);
}

bool DecryptingReader::open(std::span<const std::byte> sealed, bool final_chunk) {
  const auto nonce = chunk_nonce(nonce_prefix_, chunk_index_);
  const auto aad = chunk_aad(header_, chunk_index_, final_chunk);
  const std::size_t cipher_size = sealed.size() - kEncryptionTagSize;
  std::array<std::byte, kEncryptionTagSize> tag{};
  std::copy_n(sealed.begin() + static_cast<std::ptrdiff_t>(cipher_size), kEncryptionTagSize, tag.begin());
  EVP_CIPHER_CTX *context = context_.get();
  int length = 0;
  int tail = 0;
  if (EVP_DecryptInit_ex(context, nullptr, nullptr, nullptr, u8(nonce.data())) != 1 ||
      EVP_DecryptUpdate(context, nullptr, &length, u8(aad.data()), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(context, u8(plain_.data()), &length, u8(sealed.data()), static_cast<int>(cipher_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, kEncryptionTagSize, tag.data()) != 1)
    openssl_failed("AES-256-GCM decrypt");
  if (EVP_DecryptFinal_ex(context, u8(plain_.data()) + length, &tail) != 1) {
    OPENSSL_cleanse(plain_.data(), cipher_size);  // never let unauthenticated bytes linger
    return false;
  }
  return true;
}

}  // namespace kuphost_plugins::etcd_backup
