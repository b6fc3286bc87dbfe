// cluster.yaml's records as the Kubernetes API objects kubectl reads.
#pragma once

#include <string>
#include <vector>

#include "cluster_state.h"
#include "object_store.h"
#include "json_writer.h"

namespace kuphost::sandbox::apiserver {

using sim::Json;

using detail::uid_of;  // object_store.h

Json node_json(const detail::ClusterNode &node);
// `node` empty for a pending pod.
Json pod_json(const detail::Pod &pod, const std::string &node, const std::string &created_at,
              const detail::ClusterState &state);
Json budget_json(const detail::DisruptionBudget &budget, const detail::ClusterState &state,
                 const std::string &api_version);
Json lease_json(const detail::Lease &lease);
Json namespace_json(const std::string &name);
// A DaemonSet or ReplicaSet that owns pods in the sandbox.
Json workload_json(const std::string &kind, const std::string &ns, const std::string &name, int pods);

Json list_json(const std::string &kind, const std::string &api_version, int64_t resource_version,
               std::vector<Json> items);

// The namespaces that exist: kubeadm's four plus any a pod, budget or lease uses.
std::vector<std::string> namespaces_of(const detail::ClusterState &state);

// How a PodDisruptionBudget stands, as its controller would report it.
struct BudgetStatus {
  int expected = 0, healthy = 0, desired_healthy = 0, disruptions_allowed = 0;
};
BudgetStatus budget_status(const detail::DisruptionBudget &budget, const detail::ClusterState &state);

bool labels_match(const std::map<std::string, std::string> &selector, const std::map<std::string, std::string> &labels);

}  // namespace kuphost::sandbox::apiserver
