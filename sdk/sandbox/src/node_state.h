// <root>/var/lib/kuphost-sandbox/node.yaml: what is installed and running on
// one simulated node. kubeadm/kubelet/kubectl report the installed versions
// from it; systemctl changes the units and the running kubelet version; the
// simulated apt/dnf install packages, hold them and keep their caches here.
// Tests may edit it directly to simulate installs.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kuphost::sandbox::detail {

struct Unit {
  std::string state = "active";     // active | inactive | failed
  bool enabled = true;
  bool fail_on_start = false;       // start/restart end in "failed", as a crashing service
  bool needs_daemon_reload = false; // its unit file changed on disk (a package upgrade)
};

// A repository whose metadata dnf has cached, as under /var/cache/dnf.
struct DnfCacheEntry {
  std::string baseurl;
  std::string fetched_at;  // RFC 3339, UTC; dnf's "Last metadata expiration check"
};

struct NodeState {
  std::string name, role, distro;
  // "real" on `--packages real` nodes: `packages` then comes from the
  // version stamps the real packages install (real_packages.h), the real
  // package manager keeps holds and caches, and none of those are written here.
  std::string package_source = "simulated";
  bool real_packages() const { return package_source == "real"; }
  // Installed upstream versions (kubeadm -> 1.30.5, cri-tools -> 1.30.1);
  // the deb revision / rpm release comes from cluster/packages.yaml.
  std::map<std::string, std::string> packages;
  std::vector<std::string> held_packages;       // apt-mark holds, sorted
  std::map<std::string, Unit> units;            // kubelet, containerd
  std::string running_kubelet_version;          // 1.30.5; what the running kubelet reports
  // Repository URIs whose package lists `apt-get update` fetched, as under
  // /var/lib/apt/lists: apt only sees a configured repository once it is here.
  std::vector<std::string> apt_lists;
  std::vector<DnfCacheEntry> dnf_cache;

  // The installed version of `package`, or empty.
  std::string package(const std::string &name) const;
  bool is_held(const std::string &name) const;
};

std::filesystem::path node_state_dir(const std::filesystem::path &root);
std::filesystem::path node_state_path(const std::filesystem::path &root);
std::string render_node_state(const NodeState &state);
NodeState parse_node_state(const std::string &text);  // throws std::runtime_error

NodeState read_node_state(const std::filesystem::path &root);
void write_node_state(const std::filesystem::path &root, const NodeState &state);

// Read-modify-write under the node lock; writes only if `change` returns true.
void update_node_state(const std::filesystem::path &root, const std::function<bool(NodeState &)> &change);

}  // namespace kuphost::sandbox::detail
