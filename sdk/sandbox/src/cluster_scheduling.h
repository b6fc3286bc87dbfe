// The little of the scheduler and controllers the sandbox needs: evicted or
// deleted ReplicaSet pods come back on another schedulable node, or wait until
// one becomes available. Shared by the API server (evictions) and the node
// simulator (a kubelet turning Ready schedules pending pods).
#pragma once

#include <string>

#include "cluster_state.h"

namespace kuphost::sandbox::detail {

// A ready, schedulable Linux node other than `except` (a worker if one can
// take it), or nullptr.
ClusterNode *pick_node(ClusterState &state, const std::string &except);

// Removes `pod` from `node` as an eviction does; a ReplicaSet recreates it
// under a new name on another node or leaves it pending. Returns false when
// the node has no such pod.
bool evict_pod(ClusterState &state, const std::string &node, const std::string &pod);

// Places pending pods on nodes that can take them again.
void schedule_pending(ClusterState &state);

}  // namespace kuphost::sandbox::detail
