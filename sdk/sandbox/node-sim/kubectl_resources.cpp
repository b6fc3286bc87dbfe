#include "kubectl_resources.h"

#include <algorithm>
#include <cctype>

namespace kuphost::sandbox::sim {
namespace {

const std::vector<ResourceType> &built_in_types() {
  // plural, singular, kind, group, version, short names, namespaced, all_objects_known
  static const std::vector<ResourceType> kTypes{
      {"nodes", "node", "Node", "", "v1", {"no"}, false, false},
      {"pods", "pod", "Pod", "", "v1", {"po"}, true, false},
      {"namespaces", "namespace", "Namespace", "", "v1", {"ns"}, false, false},
      {"services", "service", "Service", "", "v1", {"svc"}, true, false},
      {"configmaps", "configmap", "ConfigMap", "", "v1", {"cm"}, true, false},
      {"secrets", "secret", "Secret", "", "v1", {}, true, false},
      {"serviceaccounts", "serviceaccount", "ServiceAccount", "", "v1", {"sa"}, true, false},
      {"endpoints", "endpoints", "Endpoints", "", "v1", {"ep"}, true, false},
      {"events", "event", "Event", "", "v1", {"ev"}, true, false},
      {"persistentvolumes", "persistentvolume", "PersistentVolume", "", "v1", {"pv"}, false, true},
      {"persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", "", "v1", {"pvc"}, true, true},
      {"daemonsets", "daemonset", "DaemonSet", "apps", "v1", {"ds"}, true, true},
      {"deployments", "deployment", "Deployment", "apps", "v1", {"deploy"}, true, true},
      {"replicasets", "replicaset", "ReplicaSet", "apps", "v1", {"rs"}, true, true},
      {"statefulsets", "statefulset", "StatefulSet", "apps", "v1", {"sts"}, true, true},
      {"jobs", "job", "Job", "batch", "v1", {}, true, true},
      {"cronjobs", "cronjob", "CronJob", "batch", "v1", {"cj"}, true, true},
      {"leases", "lease", "Lease", "coordination.k8s.io", "v1", {}, true, false},
      {"customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition",
       "apiextensions.k8s.io", "v1", {"crd", "crds"}, false, true},
  };
  return kTypes;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool names_type(const ResourceType &type, const std::string &name) {
  if (name == type.plural || name == type.singular || name == lowercase(type.kind)) return true;
  return std::find(type.short_names.begin(), type.short_names.end(), name) != type.short_names.end();
}

// "apps", "v1.apps" (resource.version.group) or, for the core group, "v1".
bool qualifies(const ResourceType &type, const std::string &qualifier) {
  if (qualifier.empty()) return true;
  const std::string group(type.group), version(type.version);
  if (group.empty()) return qualifier == version;
  return qualifier == group || qualifier == version + "." + group;
}

}  // namespace

std::string ResourceType::qualified_name() const {
  return group.empty() ? std::string(plural) : std::string(plural) + "." + std::string(group);
}

const ResourceType *find_resource_type(std::string_view argument) {
  const std::string lower = lowercase(argument);
  const size_t dot = lower.find('.');
  const std::string name = lower.substr(0, dot);
  const std::string qualifier = dot == std::string::npos ? "" : lower.substr(dot + 1);
  for (const auto &type : built_in_types())
    if (names_type(type, name) && qualifies(type, qualifier)) return &type;
  return nullptr;
}

std::string requested_resource_name(std::string_view argument) {
  return std::string(argument.substr(0, argument.find('.')));
}

}  // namespace kuphost::sandbox::sim
