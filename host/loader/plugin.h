// A loaded plugin as the host keeps it: validated, host-owned copies of the
// plugin's descriptors (read with min(struct_size, known size)) plus the
// library handle that keeps the code mapped until exit.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <kuphost/kuphost.h>

namespace boost::dll {
class shared_library;
}

namespace kuphost {

struct PhaseInfo {
  std::string plugin;  // owning plugin id
  std::string id, title, description;
  kup_stage stage = KUP_STAGE_PREFLIGHT;
  int32_t order = 0;
  std::vector<std::string> after, before;
  uint32_t distro_families = 0, roles = 0, etcd_topologies = 0;
  std::string requires_extension;
  uint32_t flags = 0;
  kup_phase_fn plan = nullptr, apply = nullptr, verify = nullptr, rollback = nullptr;

  std::string qualified_id() const { return plugin + "/" + id; }
};

struct ConfigKeyInfo {
  std::string name;
  kup_config_type type = KUP_CONFIG_STRING;
  std::string default_value, description;
};

// A top-level CLI command a plugin declares (ABI 1.1).
struct CommandInfo {
  std::string plugin;  // owning plugin id
  std::string name, usage, summary;
  uint32_t flags = 0;  // KUP_COMMAND_*
  kup_command_fn run = nullptr;
  std::vector<std::string> read_only_words;  // first arguments that make it read-only

  bool read_only() const { return (flags & KUP_COMMAND_READ_ONLY) != 0; }
  // Whether a call with these arguments runs like plan.
  bool read_only_for(const std::vector<std::string> &args) const {
    if (read_only()) return true;
    for (const auto &w : read_only_words)
      if (!args.empty() && args.front() == w) return true;
    return false;
  }
};

struct LoadedPlugin {
  std::string id, version, description;
  uint16_t abi_major = 0, abi_minor = 0;
  uint32_t descriptor_size = 0;  // the plugin's struct_size, for `plugins` output
  std::vector<std::string> aliases, extensions;
  std::vector<PhaseInfo> phases;
  std::vector<ConfigKeyInfo> config_keys;
  std::vector<CommandInfo> commands;  // empty for a 1.0 plugin
  std::filesystem::path path;
  kup_plugin descriptor{};  // zero-extended copy; function pointers live here
  // Never reset during a run: plugins stay loaded until exit (plugin-abi.md rule 7).
  std::shared_ptr<boost::dll::shared_library> library;

  bool provides_extension(const std::string &ext) const;
  bool has_alias(const std::string &name) const;
  const CommandInfo *command(const std::string &name) const;
};

}  // namespace kuphost
