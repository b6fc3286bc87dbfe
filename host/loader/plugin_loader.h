// Loads one plugin file: security check, ELF check, entry lookup, descriptor
// validation. Every refusal is one precise line naming the file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "loader/plugin.h"

namespace kuphost {

// Minimum struct sizes of ABI 1.0: a descriptor smaller than these is refused.
extern const uint32_t kMinPluginSize;
extern const uint32_t kMinPhaseDescSize;
extern const uint32_t kMinConfigKeySize;
extern const uint32_t kMinCommandDescSize;  // ABI 1.1

// Why `file` or its directory must not be trusted: writable by a user other
// than root and the invoking user. nullopt when it is safe.
std::optional<std::string> insecure_plugin_reason(const std::filesystem::path &file);

// Loads the plugin (Boost.DLL, rtld_now | rtld_local) and copies its
// descriptors. Throws Failure(kPluginError) with a precise message.
LoadedPlugin load_plugin(const std::filesystem::path &file, bool allow_insecure);

}  // namespace kuphost
