// The little of the scheduler and controllers the simulator needs: evicted
// ReplicaSet pods come back on another schedulable node, or wait until one
// becomes available.
#pragma once

#include <string>

#include "cluster_state.h"

namespace kuphost::sandbox::sim {

// A ready, schedulable Linux node other than `except`, or nullptr.
detail::ClusterNode *pick_node(detail::ClusterState &state, const std::string &except);

// Removes `pod` from `node` as an eviction does; a ReplicaSet recreates it
// under a new name on another node or leaves it pending.
void evict_pod(detail::ClusterState &state, const std::string &node, const std::string &pod);

// Places pending pods on nodes that can take them again.
void schedule_pending(detail::ClusterState &state);

}  // namespace kuphost::sandbox::sim
