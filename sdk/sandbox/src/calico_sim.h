// What controllers do to stored objects, computed when they are read: the
// DaemonSet and Deployment rollout simulation (one pod every 300 ms, pods
// with a `calico.neverReadyImages` image never available), and the simulated
// Tigera operator with its TigeraStatus and Installation status.
#pragma once

#include <cstdint>
#include <string>

#include "cluster_state.h"
#include "object_store.h"

namespace kuphost::sandbox::detail {

// The pod-template annotation naming the Calico version the simulated
// operator installs (the real operator has it built in).
inline constexpr const char *kCalicoVersionAnnotation = "kuphost-sandbox/calico-version";

struct RolloutStatus {
  int64_t generation = 1, observed_generation = 0;
  int desired = 0, updated = 0, available = 0;
  // As `kubectl rollout status` decides it.
  bool done() const { return observed_generation >= generation && updated == desired && available == desired; }
};

RolloutStatus rollout_status(const StoredObject &workload, const ClusterState &cluster, int64_t now);

// The object as the API returns it: status filled in for DaemonSets,
// Deployments, TigeraStatus and Installation.
YAML::Node object_as_read(const StoredObject &object, const ObjectStore &store, const ClusterState &cluster,
                          int64_t now);

// The simulated operator, run after every change to the store: with its
// Deployment, an Installation and the release's CRDs stored, it sets
// calico-system/calico-node to its version's image (and creates it, its
// namespace and TigeraStatus `calico`). True when it changed the store.
bool reconcile_tigera_operator(ObjectStore &store, int64_t now);

}  // namespace kuphost::sandbox::detail
