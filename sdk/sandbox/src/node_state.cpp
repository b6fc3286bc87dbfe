#include "node_state.h"

#include <stdexcept>

#include "fs_util.h"
#include "real_packages.h"
#include "yaml_io.h"

namespace kuphost::sandbox::detail {

std::string NodeState::package(const std::string &name) const {
  const auto it = packages.find(name);
  return it == packages.end() ? std::string() : it->second;
}

bool NodeState::is_held(const std::string &name) const {
  for (const auto &p : held_packages)
    if (p == name) return true;
  return false;
}

std::filesystem::path node_state_dir(const std::filesystem::path &root) {
  return root / "var" / "lib" / "kuphost-sandbox";
}

std::filesystem::path node_state_path(const std::filesystem::path &root) { return node_state_dir(root) / "node.yaml"; }

std::string render_node_state(const NodeState &state) {
  YAML::Node root;
  root["name"] = state.name;
  root["role"] = state.role;
  root["distro"] = state.distro;
  if (state.real_packages()) {
    root["packageSource"] = state.package_source;
  } else {
    YAML::Node packages(YAML::NodeType::Map);
    for (const auto &[name, version] : state.packages) packages[name] = version;
    root["packages"] = packages;
    YAML::Node held(YAML::NodeType::Sequence);
    for (const auto &p : state.held_packages) held.push_back(p);
    root["heldPackages"] = held;
  }
  YAML::Node units(YAML::NodeType::Map);
  for (const auto &[name, unit] : state.units) {
    YAML::Node u;
    u["state"] = unit.state;
    u["enabled"] = unit.enabled;
    u["failOnStart"] = unit.fail_on_start;
    u["needsDaemonReload"] = unit.needs_daemon_reload;
    units[name] = u;
  }
  root["units"] = units;
  root["runningKubeletVersion"] = state.running_kubelet_version;
  // Only the node's own package manager keeps a cache.
  if (!state.apt_lists.empty() && !state.real_packages()) {
    YAML::Node lists(YAML::NodeType::Sequence);
    for (const auto &uri : state.apt_lists) lists.push_back(uri);
    root["aptLists"] = lists;
  }
  if (!state.dnf_cache.empty() && !state.real_packages()) {
    YAML::Node cache(YAML::NodeType::Sequence);
    for (const auto &entry : state.dnf_cache) {
      YAML::Node e;
      e["baseurl"] = entry.baseurl;
      e["fetchedAt"] = entry.fetched_at;
      cache.push_back(e);
    }
    root["dnfCache"] = cache;
  }
  return emit_yaml(root);
}

NodeState parse_node_state(const std::string &text) {
  const std::string what = "node.yaml";
  const YAML::Node root = load_yaml(text, what);
  NodeState state;
  state.name = required_string(root, "name", what);
  state.role = root["role"].as<std::string>("worker");
  state.distro = root["distro"].as<std::string>("");
  state.package_source = root["packageSource"].as<std::string>("simulated");
  if (state.package_source != "simulated" && state.package_source != "real")
    throw std::runtime_error("node.yaml: packageSource must be simulated or real, not '" + state.package_source + "'");
  if (const auto packages = root["packages"]; packages && packages.IsMap())
    for (const auto &p : packages) state.packages[p.first.as<std::string>()] = p.second.as<std::string>("");
  if (const auto held = root["heldPackages"]; held && held.IsSequence())
    for (const auto &p : held) state.held_packages.push_back(p.as<std::string>());
  if (const auto units = root["units"]; units && units.IsMap()) {
    for (const auto &u : units) {
      Unit unit;
      unit.state = u.second["state"].as<std::string>("inactive");
      unit.enabled = u.second["enabled"].as<bool>(false);
      unit.fail_on_start = u.second["failOnStart"].as<bool>(false);
      unit.needs_daemon_reload = u.second["needsDaemonReload"].as<bool>(false);
      state.units[u.first.as<std::string>()] = unit;
    }
  }
  state.running_kubelet_version = root["runningKubeletVersion"].as<std::string>("");
  if (const auto lists = root["aptLists"]; lists && lists.IsSequence())
    for (const auto &uri : lists) state.apt_lists.push_back(uri.as<std::string>());
  if (const auto cache = root["dnfCache"]; cache && cache.IsSequence())
    for (const auto &e : cache)
      state.dnf_cache.push_back({e["baseurl"].as<std::string>(""), e["fetchedAt"].as<std::string>("")});
  return state;
}

NodeState read_node_state(const std::filesystem::path &root) {
  NodeState state = parse_node_state(read_file(node_state_path(root)));
  if (state.real_packages()) state.packages = read_package_stamps(root);
  return state;
}

void write_node_state(const std::filesystem::path &root, const NodeState &state) {
  write_file_atomic(node_state_path(root), render_node_state(state), 0644);
}

void update_node_state(const std::filesystem::path &root, const std::function<bool(NodeState &)> &change) {
  FileLock lock(node_state_dir(root) / "node.lock");
  NodeState state = read_node_state(root);
  if (change(state)) write_node_state(root, state);
}

}  // namespace kuphost::sandbox::detail
