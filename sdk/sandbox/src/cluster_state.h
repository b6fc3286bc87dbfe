// DIR/cluster/cluster.yaml: the simulated API server's state, shared by all
// nodes' simulated commands. Writers hold an flock on cluster/cluster.lock and
// replace the file atomically, so concurrent node commands never lose updates.
#pragma once

#include <filesystem>
#include <cstdint>
#include <functional>
#include <optional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost::sandbox::detail {

struct Pod {
  std::string name, ns;
  std::string owner_kind;  // DaemonSet | ReplicaSet | Node (a static Pod's mirror)
  std::string owner_name;
  bool empty_dir = false;  // drain then needs --delete-emptydir-data
  std::map<std::string, std::string> labels = {};  // what PodDisruptionBudget selectors match
};

// A policy/v1 PodDisruptionBudget. Exactly one of min_available and
// max_unavailable is set (integers only; percentages are not simulated).
struct DisruptionBudget {
  std::string name, ns;
  std::map<std::string, std::string> match_labels;
  std::optional<int> min_available, max_unavailable;
  int64_t resource_version = 0;
  std::string created_at;
};

// A coordination.k8s.io/v1 Lease, as leader election and kuphost's upgrade
// slot use it. Times are MicroTime text ("2024-05-01T10:00:00.123456Z").
struct Lease {
  std::string name, ns;
  std::string holder_identity;
  std::optional<int> lease_duration_seconds;
  std::string acquire_time, renew_time;
  int lease_transitions = 0;
  int64_t resource_version = 0;
  std::string created_at;
};

struct ClusterNode {
  std::string name, role;
  std::string os;  // linux | windows
  std::string address, os_image, kernel_version;
  std::string kubelet_version;        // v1.30.5, what the kubelet reports
  std::string control_plane_version;  // kube-apiserver image on this node; empty on workers
  bool ready = true;
  bool unschedulable = false;
  // `systemctl restart kubelet` leaves the node NotReady: a kubelet that
  // starts but never registers (the fault knob for "node never Ready").
  bool kubelet_never_ready = false;
  // The same, only for kubelets of these versions ("v1.31.2"): an upgrade
  // whose new kubelet never turns Ready, while the old one still does.
  std::vector<std::string> kubelet_never_ready_versions;
  std::map<std::string, std::string> labels;  // beyond the ones every node has
  int64_t resource_version = 0;
  std::string created_at;
  std::vector<Pod> pods;

  bool is_control_plane() const { return role != "worker"; }
  // Whether a kubelet of `version` ("v1.31.2" or "1.31.2") stays NotReady.
  bool kubelet_never_ready_at(const std::string &version) const;
};

struct ClusterState {
  std::string kubernetes_version;  // the kubeadm-config ClusterConfiguration's
  std::string coredns_version, kube_proxy_version;
  std::vector<ClusterNode> nodes;
  std::vector<Pod> pending_pods;  // evicted, with nowhere to run yet
  std::vector<DisruptionBudget> disruption_budgets;
  std::vector<Lease> leases;
  // Fault knob `calico: {neverReadyImages: [...]}`: pods of stored workloads
  // running one of these images never become available.
  std::vector<std::string> calico_never_ready_images;
  // The API server's etcd revision: bumped on every change it makes and
  // stamped on the changed object, so optimistic concurrency works.
  int64_t resource_version = 1;

  // Bumps resource_version and returns the new value.
  int64_t next_resource_version() { return ++resource_version; }

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
