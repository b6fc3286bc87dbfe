#include "snapshot_trailer.h"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "snapshot_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string hex(const unsigned char *bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

[[noreturn]] void fail(const std::filesystem::path &file, const std::string &why) {
  throw SnapshotError("snapshot " + file.string() + ": " + why);
}

}  // namespace

VerifiedSnapshot verify_snapshot_trailer(const std::filesystem::path &file) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) fail(file, "cannot read it: " + ec.message());
  if (!has_sha256_trailer(size))
    fail(file, std::to_string(size) +
                   " bytes is not a bbolt database plus a 32-byte SHA-256 trailer (size % 512 must be 32); "
                   "the file is truncated or not an etcd snapshot");

  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, std::string("cannot open it: ") + std::strerror(errno));
  DigestContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) fail(file, "cannot start SHA-256");

  const std::uintmax_t database_bytes = size - kSnapshotTrailerBytes;
  std::vector<char> buffer(1 << 20);
  for (std::uintmax_t left = database_bytes; left > 0;) {
    const auto chunk = static_cast<std::streamsize>(std::min<std::uintmax_t>(left, buffer.size()));
    if (!in.read(buffer.data(), chunk)) fail(file, "read error (did it shrink while being checked?)");
    if (EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(chunk)) != 1) fail(file, "SHA-256 failed");
    left -= static_cast<std::uintmax_t>(chunk);
  }
  std::array<unsigned char, kSnapshotTrailerBytes> trailer{};
  if (!in.read(reinterpret_cast<char *>(trailer.data()), trailer.size()))
    fail(file, "read error (did it shrink while being checked?)");
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &digest_size) != 1 || digest_size != trailer.size())
    fail(file, "SHA-256 failed");
  if (std::memcmp(digest.data(), trailer.data(), trailer.size()) != 0)
    fail(file, "SHA-256 trailer does not match its content; the file is corrupt");
  return {database_bytes, hex(trailer.data(), trailer.size())};
}

}  // namespace kuphost_plugins::etcd_backup
