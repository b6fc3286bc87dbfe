#include "local_binaries.h"

#include <cctype>

#include <kuphost/kuphost.hpp>

#include "support/sha256.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::windows_node {

std::string sha256_of_file(const std::string &path) {
  const auto digest = sha256_file_hex(path);
  if (!digest) throw kup::Error(KUP_E_IO, "cannot read " + path);
  return *digest;
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
