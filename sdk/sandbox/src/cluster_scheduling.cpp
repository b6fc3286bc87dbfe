#include "cluster_scheduling.h"

#include <algorithm>

namespace kuphost::sandbox::detail {
namespace {

// A replacement pod's name: the owner's name plus a new suffix.
std::string replacement_name(const Pod &pod, const std::string &node) {
  return pod.owner_name + "-" + pod_suffix(pod.name + "@" + node);
}

void place(ClusterState &state, Pod pod, const std::string &except) {
  if (ClusterNode *target = pick_node(state, except)) {
    pod.name = replacement_name(pod, target->name);
    target->pods.push_back(std::move(pod));
  } else if (!except.empty()) {
    // The ReplicaSet's replacement: a new pod (new name) that waits for a
    // node. Keeping the evicted pod's name would make kubectl drain wait for
    // it to go away forever.
    pod.name = replacement_name(pod, "pending");
    state.pending_pods.push_back(std::move(pod));
  } else {
    state.pending_pods.push_back(std::move(pod));
  }
}

}  // namespace

ClusterNode *pick_node(ClusterState &state, const std::string &except) {
  // Workers first: the control-plane taint keeps ordinary workloads off
  // control planes while a worker can take them.
  for (const bool control_plane : {false, true})
    for (auto &n : state.nodes)
      if (n.is_control_plane() == control_plane && n.name != except && n.ready && !n.unschedulable && n.os == "linux")
        return &n;
  return nullptr;
}

bool evict_pod(ClusterState &state, const std::string &node_name, const std::string &pod_name) {
  ClusterNode *node = state.find(node_name);
  if (!node) return false;
  const auto it = std::find_if(node->pods.begin(), node->pods.end(), [&](const Pod &p) { return p.name == pod_name; });
  if (it == node->pods.end()) return false;
  Pod pod = *it;
  node->pods.erase(it);
  if (pod.owner_kind == "ReplicaSet") place(state, std::move(pod), node_name);
  return true;
}

void schedule_pending(ClusterState &state) {
  std::vector<Pod> pending;
  pending.swap(state.pending_pods);
  for (auto &pod : pending) place(state, std::move(pod), "");
}

}  // namespace kuphost::sandbox::detail
