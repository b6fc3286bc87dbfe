#include "loader/manifest.h"

#include <kuphost/kuphost.h>

#include "loader/elf_exports.h"
#include "support/strings.h"

namespace kuphost {

std::optional<PluginManifest> read_manifest(const std::filesystem::path &file) {
  // KUPHOST_MANIFEST puts the text in its own section; reading just that
  // section keeps a directory scan cheap.
  const auto section = read_elf_section(file, "kuphost_manifest");
  if (!section) return std::nullopt;
  const std::string magic = KUPHOST_MANIFEST_MAGIC;
  const auto at = section->find(magic);
  if (at == std::string::npos) return std::nullopt;
  const auto end = section->find('\0', at);
  const std::string text = section->substr(at + magic.size(), end == std::string::npos ? std::string::npos
                                                                                      : end - at - magic.size());
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
