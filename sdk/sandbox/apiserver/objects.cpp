#include "objects.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "version.h"

namespace kuphost::sandbox::apiserver {
namespace {

using detail::ClusterNode;
using detail::ClusterState;
using detail::Pod;

Json labels_json(const std::map<std::string, std::string> &labels) {
  Json j = Json::object();
  for (const auto &[k, v] : labels) j.set(k, v);
  return j;
}

Json condition(const std::string &type, const std::string &status, const std::string &reason,
               const std::string &message, const std::string &time) {
  Json c = Json::object();
  c.set("type", type);
  c.set("status", status);
  c.set("lastHeartbeatTime", time);
  c.set("lastTransitionTime", time);
  c.set("reason", reason);
  c.set("message", message);
  return c;
}

Json metadata(const std::string &name, const std::string &ns, const std::string &kind, int64_t rv,
              const std::string &created_at) {
  Json m = Json::object();
  m.set("name", name);
  if (!ns.empty()) m.set("namespace", ns);
  m.set("uid", uid_of(kind + "/" + ns + "/" + name));
  m.set("resourceVersion", std::to_string(rv > 0 ? rv : 1));
  if (!created_at.empty()) m.set("creationTimestamp", created_at);
  return m;
}

// The images follow the versions the simulated kubeadm upgrades (kube-proxy
// cluster-wide, the static pods per control-plane node; etcd at kubeadm's
// supported etcd for that node's control-plane minor).
std::string image_for(const Pod &pod, const std::string &node, const ClusterState &state) {
  const std::string cluster_version = state.kube_proxy_version.empty() ? state.kubernetes_version
                                                                       : state.kube_proxy_version;
  if (pod.owner_kind == "DaemonSet") return "registry.k8s.io/" + pod.owner_name + ":" + cluster_version;
  if (pod.name.starts_with("coredns"))
    return "registry.k8s.io/coredns/coredns:" + (state.coredns_version.empty() ? "v1.11.3" : state.coredns_version);
  if (pod.owner_kind == "Node") {
    const std::string component = pod.name.substr(0, pod.name.rfind('-'));
    const ClusterNode *n = state.find(node);
    const auto version = detail::KubeVersion::parse(n ? n->control_plane_version : state.kubernetes_version);
    if (!version) return "registry.k8s.io/" + component;
    const std::string tag = component == "etcd" ? detail::etcd_image_tag_for(*version) : version->str();
    return "registry.k8s.io/" + component + ":" + tag;
  }
  return "nginx:1.27";
}

}  // namespace

Json node_json(const ClusterNode &n) {
  Json j = Json::object();
  j.set("kind", "Node");
  j.set("apiVersion", "v1");
  Json meta = metadata(n.name, "", "Node", n.resource_version, n.created_at);
  std::map<std::string, std::string> labels{{"beta.kubernetes.io/arch", "amd64"},
                                            {"beta.kubernetes.io/os", n.os},
                                            {"kubernetes.io/arch", "amd64"},
                                            {"kubernetes.io/hostname", n.name},
                                            {"kubernetes.io/os", n.os}};
  if (n.is_control_plane()) {
    labels["node-role.kubernetes.io/control-plane"] = "";
    labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
  }
  for (const auto &[k, v] : n.labels) labels[k] = v;
  meta.set("labels", labels_json(labels));
  Json annotations = Json::object();
  annotations.set("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/containerd/containerd.sock");
  annotations.set("node.alpha.kubernetes.io/ttl", "0");
  meta.set("annotations", std::move(annotations));
  j.set("metadata", std::move(meta));

  Json spec = Json::object();
  Json taints = Json::array();
  auto taint = [&](const char *key) {
    Json t = Json::object();
    t.set("key", key);
    t.set("effect", "NoSchedule");
    taints.push(std::move(t));
  };
  if (n.is_control_plane()) taint("node-role.kubernetes.io/control-plane");
  if (n.unschedulable) taint("node.kubernetes.io/unschedulable");
  if (!n.ready) taint("node.kubernetes.io/not-ready");
  if (n.unschedulable) spec.set("unschedulable", true);
  if (taints.as_array() && !taints.as_array()->empty()) spec.set("taints", std::move(taints));
  j.set("spec", std::move(spec));

  Json status = Json::object();
  Json conditions = Json::array();
  conditions.push(condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                            "kubelet has sufficient memory available", n.created_at));
  conditions.push(condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
                            n.created_at));
  conditions.push(condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
                            n.created_at));
  conditions.push(n.ready ? condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", n.created_at)
                          : condition("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.",
                                      n.created_at));
  status.set("conditions", std::move(conditions));
  Json addresses = Json::array();
  Json internal = Json::object();
  internal.set("type", "InternalIP");
  internal.set("address", n.address);
  addresses.push(std::move(internal));
  Json hostname = Json::object();
  hostname.set("type", "Hostname");
  hostname.set("address", n.name);
  addresses.push(std::move(hostname));
  status.set("addresses", std::move(addresses));
  Json info = Json::object();
  info.set("architecture", "amd64");
  info.set("containerRuntimeVersion", n.os == "windows" ? "containerd://1.7.20" : "containerd://1.7.22");
  info.set("kernelVersion", n.kernel_version);
  info.set("kubeProxyVersion", n.kubelet_version);
  info.set("kubeletVersion", n.kubelet_version);
  info.set("operatingSystem", n.os);
  info.set("osImage", n.os_image);
  status.set("nodeInfo", std::move(info));
  j.set("status", std::move(status));
  return j;
}

Json pod_json(const Pod &pod, const std::string &node, const std::string &created_at, const ClusterState &state) {
  Json j = Json::object();
  j.set("kind", "Pod");
  j.set("apiVersion", "v1");
  Json meta = metadata(pod.name, pod.ns, "Pod", 1, created_at);
  if (!pod.labels.empty()) meta.set("labels", labels_json(pod.labels));
  if (pod.owner_kind == "Node") {
    // A static Pod's mirror: drain skips these.
    Json annotations = Json::object();
    annotations.set("kubernetes.io/config.mirror", uid_of("mirror/" + pod.name));
    annotations.set("kubernetes.io/config.source", "file");
    meta.set("annotations", std::move(annotations));
  }
  if (!pod.owner_kind.empty()) {
    Json owner = Json::object();
    owner.set("apiVersion", pod.owner_kind == "Node" ? "v1" : "apps/v1");
    owner.set("kind", pod.owner_kind);
    owner.set("name", pod.owner_name);
    owner.set("uid", uid_of(pod.owner_kind + "/" + (pod.owner_kind == "Node" ? "" : pod.ns) + "/" + pod.owner_name));
    owner.set("controller", true);
    if (pod.owner_kind != "Node") owner.set("blockOwnerDeletion", true);
    Json owners = Json::array();
    owners.push(std::move(owner));
    meta.set("ownerReferences", std::move(owners));
  }
  j.set("metadata", std::move(meta));
  Json spec = Json::object();
  Json container = Json::object();
  const std::string container_name = pod.owner_kind == "Node" ? pod.name.substr(0, pod.name.rfind('-'))
                                                              : pod.owner_name.substr(0, pod.owner_name.find('-'));
  container.set("name", container_name.empty() ? pod.name : container_name);
  container.set("image", image_for(pod, node, state));
  Json containers = Json::array();
  containers.push(std::move(container));
  spec.set("containers", std::move(containers));
  if (!node.empty()) spec.set("nodeName", node);
  if (pod.empty_dir) {
    Json volume = Json::object();
    volume.set("name", "tmp");
    volume.set("emptyDir", Json::object());
    Json volumes = Json::array();
    volumes.push(std::move(volume));
    spec.set("volumes", std::move(volumes));
  }
  j.set("spec", std::move(spec));
  Json status = Json::object();
  status.set("phase", node.empty() ? "Pending" : "Running");
  Json conditions = Json::array();
  Json ready = Json::object();
  ready.set("type", "Ready");
  ready.set("status", node.empty() ? "False" : "True");
  conditions.push(std::move(ready));
  status.set("conditions", std::move(conditions));
  j.set("status", std::move(status));
  return j;
}

bool labels_match(const std::map<std::string, std::string> &selector,
                  const std::map<std::string, std::string> &labels) {
  for (const auto &[k, v] : selector) {
    const auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

BudgetStatus budget_status(const detail::DisruptionBudget &b, const ClusterState &state) {
  BudgetStatus s;
  for (const auto &n : state.nodes)
    for (const auto &p : n.pods)
      if (p.ns == b.ns && labels_match(b.match_labels, p.labels)) {
        ++s.expected;
        ++s.healthy;
      }
  for (const auto &p : state.pending_pods)
    if (p.ns == b.ns && labels_match(b.match_labels, p.labels)) ++s.expected;
  if (b.min_available) s.desired_healthy = *b.min_available;
  else if (b.max_unavailable) s.desired_healthy = std::max(0, s.expected - *b.max_unavailable);
  s.disruptions_allowed = std::max(0, s.healthy - s.desired_healthy);
  return s;
}

Json budget_json(const detail::DisruptionBudget &b, const ClusterState &state, const std::string &api_version) {
  Json j = Json::object();
  j.set("kind", "PodDisruptionBudget");
  j.set("apiVersion", api_version);
  Json meta = metadata(b.name, b.ns, "PodDisruptionBudget", b.resource_version, b.created_at);
  meta.set("generation", 1);
  j.set("metadata", std::move(meta));
  Json spec = Json::object();
  if (b.min_available) spec.set("minAvailable", *b.min_available);
  if (b.max_unavailable) spec.set("maxUnavailable", *b.max_unavailable);
  Json selector = Json::object();
  selector.set("matchLabels", labels_json(b.match_labels));
  spec.set("selector", std::move(selector));
  j.set("spec", std::move(spec));
  const BudgetStatus s = budget_status(b, state);
  Json status = Json::object();
  status.set("currentHealthy", s.healthy);
  status.set("desiredHealthy", s.desired_healthy);
  status.set("disruptionsAllowed", s.disruptions_allowed);
  status.set("expectedPods", s.expected);
  status.set("observedGeneration", 1);
  j.set("status", std::move(status));
  return j;
}

Json lease_json(const detail::Lease &l) {
  Json j = Json::object();
  j.set("kind", "Lease");
  j.set("apiVersion", "coordination.k8s.io/v1");
  j.set("metadata", metadata(l.name, l.ns, "Lease", l.resource_version, l.created_at));
  Json spec = Json::object();
  if (!l.holder_identity.empty()) spec.set("holderIdentity", l.holder_identity);
  if (l.lease_duration_seconds) spec.set("leaseDurationSeconds", *l.lease_duration_seconds);
  if (!l.acquire_time.empty()) spec.set("acquireTime", l.acquire_time);
  if (!l.renew_time.empty()) spec.set("renewTime", l.renew_time);
  if (l.lease_transitions) spec.set("leaseTransitions", l.lease_transitions);
  j.set("spec", std::move(spec));
  return j;
}

Json namespace_json(const std::string &name) {
  Json j = Json::object();
  j.set("kind", "Namespace");
  j.set("apiVersion", "v1");
  Json meta = metadata(name, "", "Namespace", 1, "");
  Json labels = Json::object();
  labels.set("kubernetes.io/metadata.name", name);
  meta.set("labels", std::move(labels));
  j.set("metadata", std::move(meta));
  Json status = Json::object();
  status.set("phase", "Active");
  j.set("status", std::move(status));
  return j;
}

Json workload_json(const std::string &kind, const std::string &ns, const std::string &name, int pods) {
  Json j = Json::object();
  j.set("kind", kind);
  j.set("apiVersion", "apps/v1");
  Json meta = metadata(name, ns, kind, 1, "");
  meta.set("generation", 1);
  j.set("metadata", std::move(meta));
  Json status = Json::object();
  if (kind == "DaemonSet") {
    status.set("currentNumberScheduled", pods);
    status.set("desiredNumberScheduled", pods);
    status.set("numberReady", pods);
  } else {
    status.set("replicas", pods);
    status.set("readyReplicas", pods);
  }
  status.set("observedGeneration", 1);
  j.set("status", std::move(status));
  return j;
}

Json list_json(const std::string &kind, const std::string &api_version, int64_t rv, std::vector<Json> items) {
  Json j = Json::object();
  j.set("kind", kind);
  j.set("apiVersion", api_version);
  Json meta = Json::object();
  meta.set("resourceVersion", std::to_string(rv));
  j.set("metadata", std::move(meta));
  Json array = Json::array();
  for (auto &item : items) array.push(std::move(item));
  j.set("items", std::move(array));
  return j;
}

std::vector<std::string> namespaces_of(const ClusterState &state) {
  std::set<std::string> names{"default", "kube-node-lease", "kube-public", "kube-system"};
  for (const auto &n : state.nodes)
    for (const auto &p : n.pods) names.insert(p.ns);
  for (const auto &p : state.pending_pods) names.insert(p.ns);
  for (const auto &b : state.disruption_budgets) names.insert(b.ns);
  for (const auto &l : state.leases) names.insert(l.ns);
  return {names.begin(), names.end()};
}

}  // namespace kuphost::sandbox::apiserver
