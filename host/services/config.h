// kuphost.yaml: host settings plus one section per plugin, handed to the
// plugin as text. Unknown keys are errors naming the key, file and line.
//
//   plugins: [apt, etcd, certs]     # default selection (--plugins wins)
//   plugin-dirs: [/opt/kuphost/plugins]
//   allow-insecure-plugin-dir: false
//   etcd-backup:                    # a plugin section, by id or alias
//     retention: 3
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace kuphost {

struct LoadedPlugin;

struct HostConfig {
  std::filesystem::path source;  // empty when no file was read
  std::vector<std::string> plugins;
  std::vector<std::filesystem::path> plugin_dirs;
  bool allow_insecure_plugin_dir = false;
  // Top-level keys that are not host settings: plugin sections, by name as
  // written (id or alias), with their line numbers for messages.
  std::map<std::string, YAML::Node> sections;
  std::map<std::string, int> section_lines;

  // The section for a plugin (by id or any alias); a null node if none.
  YAML::Node section_for(const LoadedPlugin &plugin) const;
};

// Reads `file`. `required`: a missing file is an error (for --config);
// otherwise a missing file yields defaults. Throws Failure(kInvalidInput)
// with "FILE:LINE:COL: …" for malformed YAML and wrong types.
HostConfig load_config(const std::filesystem::path &file, bool required);

// Checks every plugin section against the keys the plugins declare; throws
// Failure(kInvalidInput) naming the unknown key, the file and the line.
void validate_config(const HostConfig &config, const std::vector<const LoadedPlugin *> &plugins);

// The value of a dotted key inside a section: scalar text, or YAML text of a
// list or map. nullopt when absent.
std::optional<std::string> config_value(const YAML::Node &section, const std::string &dotted_key);

}  // namespace kuphost
