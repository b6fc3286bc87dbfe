// The manifest a plugin embeds with KUPHOST_MANIFEST, read from the file's
// bytes so that `plugins inspect` and name lookup run no plugin code.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kuphost {

struct PluginManifest {
  std::string id, version, abi;  // abi: "1.0"
};

std::optional<PluginManifest> read_manifest(const std::filesystem::path &file);

}  // namespace kuphost
