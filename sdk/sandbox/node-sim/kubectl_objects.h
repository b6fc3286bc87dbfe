// The API objects kubectl get shows, built from cluster.yaml as the API
// server would serve them (Node, Pod, and the List kubectl wraps them in).
#pragma once

#include "cluster_state.h"
#include "json_writer.h"

namespace kuphost::sandbox::sim {

inline constexpr const char *kContainerRuntime = "containerd://1.7.22";

// `index` is the node's position in cluster.yaml (its pod CIDR and resourceVersion).
Json node_json(const detail::ClusterNode &node, size_t index);
Json pod_json(const detail::Pod &pod, const detail::ClusterNode &node);
// kubectl's `kind: List` around several objects.
Json list_json(Json items);

}  // namespace kuphost::sandbox::sim
