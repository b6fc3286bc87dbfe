#include "scheduling.h"

#include <algorithm>

namespace kuphost::sandbox::sim {
namespace {

using detail::ClusterNode;
using detail::ClusterState;
using detail::Pod;

// A replacement pod's name: the owner's name plus a new suffix.
std::string replacement_name(const Pod &pod, const std::string &node) {
  return pod.owner_name + "-" + detail::pod_suffix(pod.name + "@" + node);
}

void place(ClusterState &state, Pod pod, const std::string &except) {
  if (ClusterNode *target = pick_node(state, except)) {
    pod.name = replacement_name(pod, target->name);
    target->pods.push_back(std::move(pod));
  } else {
    state.pending_pods.push_back(std::move(pod));
  }
}

}  // namespace

ClusterNode *pick_node(ClusterState &state, const std::string &except) {
  for (auto &n : state.nodes)
    if (n.name != except && n.ready && !n.unschedulable && n.os == "linux") return &n;
  return nullptr;
}

void evict_pod(ClusterState &state, const std::string &node_name, const std::string &pod_name) {
  ClusterNode *node = state.find(node_name);
  if (!node) return;
  const auto it = std::find_if(node->pods.begin(), node->pods.end(), [&](const Pod &p) { return p.name == pod_name; });
  if (it == node->pods.end()) return;
  Pod pod = *it;
  node->pods.erase(it);
  if (pod.owner_kind == "ReplicaSet") place(state, std::move(pod), node_name);
}

void schedule_pending(ClusterState &state) {
  std::vector<Pod> pending;
  pending.swap(state.pending_pods);
  for (auto &pod : pending) place(state, std::move(pod), "");
}

}  // namespace kuphost::sandbox::sim
