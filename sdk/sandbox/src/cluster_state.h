// DIR/cluster/cluster.yaml: the simulated API server's state, shared by all
// nodes' simulated commands. Writers hold an flock on cluster/cluster.lock and
// replace the file atomically, so concurrent node commands never lose updates.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost::sandbox::detail {

struct Pod {
  std::string name, ns;
  std::string owner_kind;  // DaemonSet | ReplicaSet | Node (a static Pod's mirror)
  std::string owner_name;
  bool empty_dir = false;  // drain then needs --delete-emptydir-data
};

struct ClusterNode {
  std::string name, role;
  std::string os;  // linux | windows
  std::string address, os_image, kernel_version;
  std::string kubelet_version;        // v1.30.5, what the kubelet reports
  std::string control_plane_version;  // kube-apiserver image on this node; empty on workers
  bool ready = true;
  bool unschedulable = false;
  std::string created_at;
  std::vector<Pod> pods;

  bool is_control_plane() const { return role != "worker"; }
};

struct ClusterState {
  std::string kubernetes_version;  // the kubeadm-config ClusterConfiguration's
  std::string coredns_version, kube_proxy_version;
  std::vector<ClusterNode> nodes;
  std::vector<Pod> pending_pods;  // evicted, with nowhere to run yet

  ClusterNode *find(std::string_view name);
  const ClusterNode *find(std::string_view name) const;
};

std::filesystem::path cluster_file_path(const std::filesystem::path &sandbox_dir);
std::string render_cluster(const ClusterState &state);
ClusterState parse_cluster(const std::string &text);  // throws std::runtime_error

ClusterState read_cluster(const std::filesystem::path &sandbox_dir);
void write_cluster(const std::filesystem::path &sandbox_dir, const ClusterState &state);

// Read-modify-write under the cluster lock; writes only if `change` returns true.
void update_cluster(const std::filesystem::path &sandbox_dir, const std::function<bool(ClusterState &)> &change);

// A Kubernetes-style random-looking suffix ("7m2xq"), deterministic in `seed`
// so sandboxes and tests are reproducible.
std::string pod_suffix(std::string_view seed, size_t length = 5);

}  // namespace kuphost::sandbox::detail
