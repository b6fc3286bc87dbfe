#include "windows_binaries.h"

#include <openssl/evp.h>

#include <set>
#include <stdexcept>

#include "fs_util.h"

namespace kuphost::sandbox::detail {
namespace {

constexpr std::string_view kMagic = "MZ\x90";
constexpr std::string_view kVersionKey = "\nversion: ";

}  // namespace

std::filesystem::path dl_k8s_io_dir(const std::filesystem::path &sandbox_dir) {
  return sandbox_dir / "cluster" / "dl.k8s.io";
}

std::filesystem::path windows_release_dir(const std::filesystem::path &sandbox_dir, const KubeVersion &version) {
  return dl_k8s_io_dir(sandbox_dir) / version.str() / "bin" / "windows" / "amd64";
}

std::string windows_binary(std::string_view name, const KubeVersion &version) {
  return std::string(kMagic) + "\nkuphost sandbox stand-in for a Windows release binary\nname: " + std::string(name) +
         std::string(kVersionKey) + version.str() + "\nplatform: windows/amd64\n";
}

std::optional<KubeVersion> windows_binary_version(std::string_view content) {
  if (!content.starts_with(kMagic)) return std::nullopt;
  const auto at = content.find(kVersionKey);
  if (at == std::string_view::npos) return std::nullopt;
  const auto start = at + kVersionKey.size();
  const auto end = content.find('\n', start);
  return KubeVersion::parse(content.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

void write_windows_mirror(const std::filesystem::path &sandbox_dir, const PackageUniverse &universe) {
  std::set<std::string> versions;
  for (const auto &[minor, repo] : universe.repositories)
    if (const auto it = repo.packages.find("kubeadm"); it != repo.packages.end())
      versions.insert(it->second.versions.begin(), it->second.versions.end());
  for (const auto &text : versions) {
    const auto version = KubeVersion::parse(text);
    if (!version) continue;
    const auto dir = windows_release_dir(sandbox_dir, *version);
    for (const char *name : kWindowsBinaries) {
      const std::string binary = windows_binary(name, *version);
      write_file(dir / name, binary, 0755);
      write_file(dir / (std::string(name) + ".sha256"), sha256_hex(binary), 0644);  // no newline, as upstream
    }
  }
}

}  // namespace kuphost::sandbox::detail
