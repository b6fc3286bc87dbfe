// DIR/cluster/objects.yaml: the objects applied to the sandbox's API server
// that cluster.yaml does not model (ConfigMaps, Deployments, RBAC, CRDs and
// their custom resources...), kept as the JSON trees kubectl sent. Writers
// hold an flock on cluster/objects.lock and replace the file atomically, as
// for cluster.yaml (whose lock is never held at the same time).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace kuphost::sandbox::detail {

// A stable UUID-shaped uid for an object, derived from its identity (the
// API server's synthetic objects and the stored ones alike).
std::string uid_of(const std::string &seed);

struct StoredObject {
  StoredObject() = default;
  StoredObject(const StoredObject &) = default;
  // yaml-cpp's Node::operator= writes through to the node it refers to;
  // moving objects around a vector must rebind instead.
  StoredObject &operator=(const StoredObject &other) {
    object.reset(other.object);
    rollout_started_ms = other.rollout_started_ms;
    previous_image = other.previous_image;
    return *this;
  }

  YAML::Node object;
  // Workloads: when the pod template last changed (ms since the epoch);
  // 0 = long ago, rolled out.
  int64_t rollout_started_ms = 0;
  // The image the simulated Tigera operator replaced (calico-node).
  std::string previous_image;

  std::string group() const;  // "" for the core group
  std::string kind() const;
  std::string ns() const;
  std::string name() const;
};

struct ObjectStore {
  int64_t resource_version = 1;
  std::vector<StoredObject> objects;

  int64_t next_resource_version() { return ++resource_version; }
  StoredObject *find(const std::string &group, const std::string &kind, const std::string &ns, const std::string &name);
  const StoredObject *find(const std::string &group, const std::string &kind, const std::string &ns,
                           const std::string &name) const;
  // Every object of the kind, in `ns` ("" = all namespaces).
  std::vector<const StoredObject *> of_kind(const std::string &group, const std::string &kind,
                                            const std::string &ns = "") const;
  void remove(const std::string &group, const std::string &kind, const std::string &ns, const std::string &name);
};

// "apps/v1" -> "apps", "v1" -> "".
std::string group_of(const std::string &api_version);
int64_t now_ms();

ObjectStore read_objects(const std::filesystem::path &sandbox_dir);  // empty when the file is missing
void write_objects(const std::filesystem::path &sandbox_dir, const ObjectStore &store);
// Read-modify-write under the objects lock; writes only if `change` returns true.
void update_objects(const std::filesystem::path &sandbox_dir, const std::function<bool(ObjectStore &)> &change);

// Server-side apply with force, or a PUT: creates the object, or replaces its
// content with `incoming`'s, keeping uid, creationTimestamp and status.
// Bumps resourceVersion only on a change, generation when more than metadata
// changed, and starts a rollout when a workload's spec.template changed.
// Returns the stored object.
StoredObject &store_object(ObjectStore &store, YAML::Node incoming, int64_t now);

}  // namespace kuphost::sandbox::detail
