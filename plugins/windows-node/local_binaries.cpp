#include "local_binaries.h"

#include <openssl/evp.h>

#include <cctype>
#include <fstream>
#include <memory>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "support/text.hpp"

namespace kuphost_plugins::windows_node {

std::string sha256_of_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw kup::Error(KUP_E_NOT_FOUND, "cannot read " + path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw kup::Error(KUP_E_INTERNAL, "OpenSSL cannot compute SHA-256");
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw kup::Error(KUP_E_IO, "error reading " + path);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static const char *hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

std::string digest_in_checksum_file(const std::string &text) {
  const auto words = words_of(text);
  if (words.empty()) return {};
  std::string digest = words.front();
  for (char &c : digest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return digest;
}

bool same_digest(const std::string &a, const std::string &b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace kuphost_plugins::windows_node
