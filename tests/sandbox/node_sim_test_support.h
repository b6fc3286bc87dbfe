// Helpers for the simulator tests: editing a node's simulated state the way
// a package manager double would, and finding kubeadm's backup directories.
#pragma once

#include <yaml-cpp/yaml.h>

#include "sandbox_test_support.h"

namespace kuphost::sandbox::testing {

inline fs::path node_yaml(const Node &node) { return node.root / "var/lib/kuphost-sandbox/node.yaml"; }
inline fs::path cluster_yaml(const Sandbox &sb) { return sb.dir / "cluster/cluster.yaml"; }

// Simulates `apt-get install <package>=<version>`.
inline void install_package(const Node &node, const std::string &package, const std::string &version) {
  YAML::Node state = YAML::LoadFile(node_yaml(node).string());
  state["packages"][package] = version;
  YAML::Emitter out;
  out << state;
  write_text(node_yaml(node), out.c_str());
}

inline void set_unit_field(const Node &node, const std::string &unit, const std::string &field, bool value) {
  YAML::Node state = YAML::LoadFile(node_yaml(node).string());
  state["units"][unit][field] = value;
  YAML::Emitter out;
  out << state;
  write_text(node_yaml(node), out.c_str());
}

inline YAML::Node cluster_node(const Sandbox &sb, const std::string &name) {
  const YAML::Node doc = YAML::LoadFile(cluster_yaml(sb).string());
  for (const auto &n : doc["nodes"])
    if (n["name"].as<std::string>() == name) return n;
  return YAML::Node();
}

// Directories under /etc/kubernetes/tmp starting with `prefix`, sorted.
inline std::vector<fs::path> tmp_dirs(const Node &node, const std::string &prefix) {
  std::vector<fs::path> out;
  const fs::path tmp = node.root / "etc/kubernetes/tmp";
  if (!fs::exists(tmp)) return out;
  for (const auto &e : fs::directory_iterator(tmp))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string image_of(const Node &node, const std::string &component) {
  const YAML::Node pod =
      YAML::LoadFile((node.root / "etc/kubernetes/manifests" / (component + ".yaml")).string());
  return pod["spec"]["containers"][0]["image"].as<std::string>();
}

inline bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace kuphost::sandbox::testing
