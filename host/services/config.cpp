#include "services/config.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "loader/plugin.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace fs = std::filesystem;
namespace {

std::string where(const HostConfig &c, const YAML::Node &n) {
  const auto m = n.Mark();
  return c.source.string() + (m.is_null() ? std::string() : ":" + std::to_string(m.line + 1));
}

bool type_matches(const YAML::Node &value, kup_config_type type, std::string *expected) {
  switch (type) {
    case KUP_CONFIG_LIST:
      *expected = "a list";
      return value.IsSequence();
    case KUP_CONFIG_MAP:
      *expected = "a mapping";
      return value.IsMap();
    case KUP_CONFIG_INT: {
      *expected = "an integer";
      static const std::regex re("^-?[0-9]+$");
      return value.IsScalar() && std::regex_match(value.Scalar(), re);
    }
    case KUP_CONFIG_BOOL:
      *expected = "true or false";
      return value.IsScalar() && (value.Scalar() == "true" || value.Scalar() == "false");
    case KUP_CONFIG_DURATION: {
      *expected = "a duration such as 180d, 12h, 30m or 45s";
      static const std::regex re("^[0-9]+(d|h|m|s|ms)$");
      return value.IsScalar() && std::regex_match(value.Scalar(), re);
    }
    case KUP_CONFIG_STRING:
    default:
      *expected = "a string";
      return value.IsScalar();
  }
}

// Walks a plugin section: every leaf path must be a declared key (or lie
// under a declared map key).
void check_section(const HostConfig &config, const LoadedPlugin &plugin, const std::string &name,
                   const YAML::Node &node, const std::string &prefix) {
  if (!node.IsMap()) {
    if (prefix.empty() && node.IsNull()) return;
    throw Failure(ExitCode::kInvalidInput,
                  where(config, node) + ": section '" + name + "' must be a mapping of " +
                      plugin.id + " settings");
  }
  for (const auto &kv : node) {
    const std::string key = prefix + kv.first.as<std::string>();
    const ConfigKeyInfo *declared = nullptr;
    bool is_parent = false;
    for (const auto &k : plugin.config_keys) {
      if (k.name == key) declared = &k;
      if (starts_with(k.name, key + ".")) is_parent = true;
    }
    if (declared) {
      std::string expected;
      if (!type_matches(kv.second, declared->type, &expected))
        throw Failure(ExitCode::kInvalidInput, where(config, kv.first) + ": " + name + "." + key +
                                                   " must be " + expected);
      continue;
    }
    if (is_parent) {
      check_section(config, plugin, name, kv.second, key + ".");
      continue;
    }
    std::vector<std::string> known;
    for (const auto &k : plugin.config_keys) known.push_back(k.name);
    throw Failure(ExitCode::kInvalidInput,
                  "unknown key '" + name + "." + key + "' in " + where(config, kv.first) + ": " +
                      plugin.id + " knows " +
                      (known.empty() ? std::string("no settings") : join(known, ", ")));
  }
}

std::vector<std::string> string_list(const HostConfig &c, const YAML::Node &n, const char *key) {
  if (!n.IsSequence())
    throw Failure(ExitCode::kInvalidInput, where(c, n) + ": '" + key + "' must be a list");
  std::vector<std::string> out;
  for (const auto &item : n) {
    if (!item.IsScalar())
      throw Failure(ExitCode::kInvalidInput, where(c, item) + ": '" + key + "' entries must be strings");
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace

YAML::Node HostConfig::section_for(const LoadedPlugin &plugin) const {
  if (auto it = sections.find(plugin.id); it != sections.end()) return it->second;
  for (const auto &a : plugin.aliases)
    if (auto it = sections.find(a); it != sections.end()) return it->second;
  return YAML::Node();
}

HostConfig load_config(const fs::path &file, bool required) {
  HostConfig c;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (required) fail_input("config file " + file.string() + " does not exist");
    return c;
  }
  c.source = file;
  std::ifstream in(file);
  if (!in) fail_input("cannot read config file " + file.string());
  std::stringstream buf;
  buf << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(buf.str());
  } catch (const YAML::ParserException &e) {
    fail_input(file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
               std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg);
  }
  if (root.IsNull()) return c;
  if (!root.IsMap()) fail_input(file.string() + ": expected a mapping of settings at the top level");
  std::set<std::string> seen;
  for (const auto &kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (!seen.insert(key).second)
      fail_input(where(c, kv.first) + ": key '" + key + "' appears twice");
    if (key == "plugins") {
      c.plugins = string_list(c, kv.second, "plugins");
    } else if (key == "plugin-dirs") {
      for (auto &d : string_list(c, kv.second, "plugin-dirs")) c.plugin_dirs.emplace_back(d);
    } else if (key == "allow-insecure-plugin-dir") {
      std::string expected;
      if (!type_matches(kv.second, KUP_CONFIG_BOOL, &expected))
        fail_input(where(c, kv.second) + ": allow-insecure-plugin-dir must be " + expected);
      c.allow_insecure_plugin_dir = kv.second.Scalar() == "true";
    } else {
      c.sections[key] = kv.second;
      c.section_lines[key] = kv.first.Mark().line + 1;
    }
  }
  return c;
}

void validate_config(const HostConfig &config, const std::vector<const LoadedPlugin *> &plugins) {
  for (const auto &[name, node] : config.sections) {
    const LoadedPlugin *owner = nullptr;
    for (const auto *p : plugins)
      if (p->id == name || p->has_alias(name)) owner = p;
    if (!owner) {
      std::vector<std::string> ids;
      for (const auto *p : plugins) ids.push_back(p->id);
      fail_input("unknown key '" + name + "' in " + config.source.string() + ":" +
                 std::to_string(config.section_lines.at(name)) +
                 ": not a kuphost setting (plugins, plugin-dirs, allow-insecure-plugin-dir) nor a "
                 "loaded plugin (" + join(ids, ", ") + ")");
    }
    check_section(config, *owner, name, node, "");
  }
}

std::optional<std::string> config_value(const YAML::Node &section, const std::string &dotted_key) {
  if (!section || !section.IsMap()) return std::nullopt;
  YAML::Node cur;
  cur.reset(section);  // rebinds; operator= would overwrite the node's content
  for (const auto &part : split(dotted_key, '.')) {
    const YAML::Node &view = cur;  // const access never inserts keys
    if (!view.IsMap() || !view[part]) return std::nullopt;
    cur.reset(view[part]);
  }
  if (cur.IsScalar()) return cur.Scalar();
  YAML::Emitter out;
  out << cur;
  return std::string(out.c_str());
}

}  // namespace kuphost
