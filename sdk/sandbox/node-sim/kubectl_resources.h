// The API resource types kubectl get resolves its first argument against,
// as the RESTMapper of a kubeadm cluster (without add-ons' CRDs) would:
// plural, singular, short name or kind, optionally qualified by group.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kuphost::sandbox::sim {

struct ResourceType {
  std::string_view plural, singular, kind;
  std::string_view group, version;  // group "" is the core group
  std::vector<std::string_view> short_names;
  bool namespaced = true;
  // Whether the sandbox knows every object of this type a kubeadm cluster
  // without add-ons has (the workloads behind its pods, or none at all), so
  // that any other name is NotFound rather than a guess.
  bool all_objects_known = false;

  // How the API server names it in errors: "nodes", "daemonsets.apps".
  std::string qualified_name() const;
};

// nullptr when the cluster has no such type ("installations.operator.tigera.io"
// without Calico's operator).
const ResourceType *find_resource_type(std::string_view argument);

// The name kubectl's `the server doesn't have a resource type "X"` shows:
// what comes before the first dot ("installations").
std::string requested_resource_name(std::string_view argument);

}  // namespace kuphost::sandbox::sim
