#include "loader/manifest.h"

#include <fstream>
#include <iterator>

#include <kuphost/kuphost.h>

#include "support/strings.h"

namespace kuphost {

std::optional<PluginManifest> read_manifest(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string magic = KUPHOST_MANIFEST_MAGIC;
  const auto at = bytes.find(magic);
  if (at == std::string::npos) return std::nullopt;
  const auto end = bytes.find('\0', at);
  const std::string text = bytes.substr(at + magic.size(), end == std::string::npos ? 512 : end - at - magic.size());
  PluginManifest m;
  for (const auto &line : split(text, '\n')) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const auto key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "id") m.id = value;
    else if (key == "version") m.version = value;
    else if (key == "abi") m.abi = value;
  }
  if (m.id.empty()) return std::nullopt;
  return m;
}

}  // namespace kuphost
