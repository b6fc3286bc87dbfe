#include "cluster_state.h"

#include <cstdint>
#include <stdexcept>

#include "fs_util.h"
#include "yaml_io.h"

namespace kuphost::sandbox::detail {
namespace {

YAML::Node labels_node(const std::map<std::string, std::string> &labels) {
  YAML::Node node(YAML::NodeType::Map);
  for (const auto &[k, v] : labels) node[k] = v;
  return node;
}

std::map<std::string, std::string> parse_labels(const YAML::Node &node, const std::string &what) {
  std::map<std::string, std::string> labels;
  if (!node) return labels;
  if (!node.IsMap()) throw std::runtime_error("cluster.yaml: " + what + " must be a map");
  for (const auto &kv : node) labels[kv.first.as<std::string>()] = kv.second.as<std::string>("");
  return labels;
}

std::optional<int> optional_int(const YAML::Node &node) {
  if (!node || node.IsNull()) return std::nullopt;
  return node.as<int>();
}

YAML::Node budget_node(const DisruptionBudget &b) {
  YAML::Node node;
  node["name"] = b.name;
  node["namespace"] = b.ns;
  node["matchLabels"] = labels_node(b.match_labels);
  if (b.min_available) node["minAvailable"] = *b.min_available;
  if (b.max_unavailable) node["maxUnavailable"] = *b.max_unavailable;
  node["resourceVersion"] = b.resource_version;
  node["createdAt"] = b.created_at;
  return node;
}

DisruptionBudget parse_budget(const YAML::Node &n) {
  DisruptionBudget b;
  b.name = required_string(n, "name", "cluster.yaml disruptionBudget");
  b.ns = n["namespace"].as<std::string>("default");
  b.match_labels = parse_labels(n["matchLabels"], "disruptionBudget matchLabels");
  b.min_available = optional_int(n["minAvailable"]);
  b.max_unavailable = optional_int(n["maxUnavailable"]);
  b.resource_version = n["resourceVersion"].as<int64_t>(0);
  b.created_at = n["createdAt"].as<std::string>("");
  return b;
}

YAML::Node lease_node(const Lease &l) {
  YAML::Node node;
  node["name"] = l.name;
  node["namespace"] = l.ns;
  node["holderIdentity"] = l.holder_identity;
  if (l.lease_duration_seconds) node["leaseDurationSeconds"] = *l.lease_duration_seconds;
  node["acquireTime"] = l.acquire_time;
  node["renewTime"] = l.renew_time;
  node["leaseTransitions"] = l.lease_transitions;
  node["resourceVersion"] = l.resource_version;
  node["createdAt"] = l.created_at;
  return node;
}

Lease parse_lease(const YAML::Node &n) {
  Lease l;
  l.name = required_string(n, "name", "cluster.yaml lease");
  l.ns = n["namespace"].as<std::string>("default");
  l.holder_identity = n["holderIdentity"].as<std::string>("");
  l.lease_duration_seconds = optional_int(n["leaseDurationSeconds"]);
  l.acquire_time = n["acquireTime"].as<std::string>("");
  l.renew_time = n["renewTime"].as<std::string>("");
  l.lease_transitions = n["leaseTransitions"].as<int>(0);
  l.resource_version = n["resourceVersion"].as<int64_t>(0);
  l.created_at = n["createdAt"].as<std::string>("");
  return l;
}

YAML::Node pod_node(const Pod &pod) {
  YAML::Node node;
  node["name"] = pod.name;
  node["namespace"] = pod.ns;
  node["ownerKind"] = pod.owner_kind;
  node["ownerName"] = pod.owner_name;
  node["emptyDir"] = pod.empty_dir;
  if (!pod.labels.empty()) node["labels"] = labels_node(pod.labels);
  return node;
}

std::vector<Pod> parse_pods(const YAML::Node &list) {
  std::vector<Pod> pods;
  if (!list) return pods;
  if (!list.IsSequence()) throw std::runtime_error("cluster.yaml: 'pods' must be a list");
  for (const auto &p : list) {
    Pod pod;
    pod.name = required_string(p, "name", "cluster.yaml pod");
    pod.ns = p["namespace"].as<std::string>("default");
    pod.owner_kind = p["ownerKind"].as<std::string>("");
    pod.owner_name = p["ownerName"].as<std::string>("");
    pod.empty_dir = p["emptyDir"].as<bool>(false);
    pod.labels = parse_labels(p["labels"], "pod labels");
    pods.push_back(std::move(pod));
  }
  return pods;
}

std::filesystem::path lock_path(const std::filesystem::path &sandbox_dir) {
  return sandbox_dir / "cluster" / "cluster.lock";
}

}  // namespace

bool ClusterNode::kubelet_never_ready_at(const std::string &version) const {
  if (kubelet_never_ready) return true;
  const auto strip = [](std::string_view v) { return v.starts_with('v') ? v.substr(1) : v; };
  for (const auto &v : kubelet_never_ready_versions)
    if (strip(v) == strip(version)) return true;
  return false;
}

ClusterNode *ClusterState::find(std::string_view name) {
  for (auto &n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const ClusterNode *ClusterState::find(std::string_view name) const {
  return const_cast<ClusterState *>(this)->find(name);
}

std::filesystem::path cluster_file_path(const std::filesystem::path &sandbox_dir) {
  return sandbox_dir / "cluster" / "cluster.yaml";
}

std::string render_cluster(const ClusterState &state) {
  YAML::Node root;
  root["kubernetesVersion"] = state.kubernetes_version;
  root["addons"]["coreDNS"] = state.coredns_version;
  root["addons"]["kubeProxy"] = state.kube_proxy_version;
  YAML::Node nodes(YAML::NodeType::Sequence);
  for (const auto &n : state.nodes) {
    YAML::Node node;
    node["name"] = n.name;
    node["role"] = n.role;
    node["os"] = n.os;
    node["address"] = n.address;
    node["osImage"] = n.os_image;
    node["kernelVersion"] = n.kernel_version;
    node["kubeletVersion"] = n.kubelet_version;
    if (n.is_control_plane()) node["controlPlaneVersion"] = n.control_plane_version;
    node["ready"] = n.ready;
    node["unschedulable"] = n.unschedulable;
    if (n.kubelet_never_ready) node["kubeletNeverReady"] = true;
    for (const auto &v : n.kubelet_never_ready_versions) node["kubeletNeverReadyVersions"].push_back(v);
    if (!n.labels.empty()) node["labels"] = labels_node(n.labels);
    node["resourceVersion"] = n.resource_version;
    node["createdAt"] = n.created_at;
    YAML::Node pods(YAML::NodeType::Sequence);
    for (const auto &p : n.pods) pods.push_back(pod_node(p));
    node["pods"] = pods;
    nodes.push_back(node);
  }
  root["nodes"] = nodes;
  YAML::Node pending(YAML::NodeType::Sequence);
  for (const auto &p : state.pending_pods) pending.push_back(pod_node(p));
  root["pendingPods"] = pending;
  YAML::Node budgets(YAML::NodeType::Sequence);
  for (const auto &b : state.disruption_budgets) budgets.push_back(budget_node(b));
  root["disruptionBudgets"] = budgets;
  YAML::Node leases(YAML::NodeType::Sequence);
  for (const auto &l : state.leases) leases.push_back(lease_node(l));
  root["leases"] = leases;
  if (!state.calico_never_ready_images.empty())
    for (const auto &image : state.calico_never_ready_images) root["calico"]["neverReadyImages"].push_back(image);
  root["resourceVersion"] = state.resource_version;
  return emit_yaml(root);
}

ClusterState parse_cluster(const std::string &text) {
  const std::string what = "cluster.yaml";
  const YAML::Node root = load_yaml(text, what);
  ClusterState state;
  state.kubernetes_version = required_string(root, "kubernetesVersion", what);
  state.coredns_version = root["addons"]["coreDNS"].as<std::string>("");
  state.kube_proxy_version = root["addons"]["kubeProxy"].as<std::string>("");
  if (!root["nodes"] || !root["nodes"].IsSequence()) throw std::runtime_error(what + ": missing list 'nodes'");
  for (const auto &n : root["nodes"]) {
    ClusterNode node;
    node.name = required_string(n, "name", what + " node");
    node.role = n["role"].as<std::string>("worker");
    node.os = n["os"].as<std::string>("linux");
    node.address = n["address"].as<std::string>("");
    node.os_image = n["osImage"].as<std::string>("");
    node.kernel_version = n["kernelVersion"].as<std::string>("");
    node.kubelet_version = n["kubeletVersion"].as<std::string>("");
    node.control_plane_version = n["controlPlaneVersion"].as<std::string>("");
    node.ready = n["ready"].as<bool>(true);
    node.unschedulable = n["unschedulable"].as<bool>(false);
    node.kubelet_never_ready = n["kubeletNeverReady"].as<bool>(false);
    if (const YAML::Node versions = n["kubeletNeverReadyVersions"]; versions && versions.IsSequence())
      for (const auto &v : versions) node.kubelet_never_ready_versions.push_back(v.as<std::string>());
    node.labels = parse_labels(n["labels"], "node labels");
    node.resource_version = n["resourceVersion"].as<int64_t>(0);
    node.created_at = n["createdAt"].as<std::string>("");
    node.pods = parse_pods(n["pods"]);
    state.nodes.push_back(std::move(node));
  }
  state.pending_pods = parse_pods(root["pendingPods"]);
  if (const YAML::Node budgets = root["disruptionBudgets"]; budgets && budgets.IsSequence())
    for (const auto &b : budgets) state.disruption_budgets.push_back(parse_budget(b));
  if (const YAML::Node leases = root["leases"]; leases && leases.IsSequence())
    for (const auto &l : leases) state.leases.push_back(parse_lease(l));
  if (const YAML::Node calico = root["calico"]; calico && calico.IsMap() && calico["neverReadyImages"] &&
                                                    calico["neverReadyImages"].IsSequence())
    for (const auto &image : calico["neverReadyImages"]) state.calico_never_ready_images.push_back(image.as<std::string>(""));
  state.resource_version = root["resourceVersion"].as<int64_t>(1);
  return state;
}

ClusterState read_cluster(const std::filesystem::path &sandbox_dir) {
  return parse_cluster(read_file(cluster_file_path(sandbox_dir)));
}

void write_cluster(const std::filesystem::path &sandbox_dir, const ClusterState &state) {
  write_file_atomic(cluster_file_path(sandbox_dir), render_cluster(state), 0644);
}

void update_cluster(const std::filesystem::path &sandbox_dir, const std::function<bool(ClusterState &)> &change) {
  FileLock lock(lock_path(sandbox_dir));
  ClusterState state = read_cluster(sandbox_dir);
  if (change(state)) write_cluster(sandbox_dir, state);
}

std::string pod_suffix(std::string_view seed, size_t length) {
  // FNV-1a, then the alphabet Kubernetes uses for generated names.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : seed) h = (h ^ c) * 1099511628211ull;
  constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (size_t i = 0; i < length; ++i) {
    out += kAlphabet[h % kAlphabet.size()];
    h = h / kAlphabet.size() + (h << 7) + 0x9e3779b97f4a7c15ull;
  }
  return out;
}

}  // namespace kuphost::sandbox::detail
