#include "kinds.h"

#include <cctype>

namespace kuphost::sandbox::apiserver {
namespace {

const std::vector<std::string> kAllVerbs{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
const std::vector<std::string> kReadVerbs{"get", "list", "watch"};

KindInfo stored(std::string group, std::string resource, std::string singular, std::string kind, bool namespaced,
                std::vector<std::string> short_names = {}, std::string version = "v1") {
  return {std::move(group), std::move(version), std::move(resource), std::move(singular), std::move(kind),
          namespaced,       kAllVerbs,          std::move(short_names), "", "", true};
}

// Served from cluster.yaml by their own handlers.
KindInfo modelled(std::string group, std::string version, std::string resource, std::string singular, std::string kind,
                  bool namespaced, std::vector<std::string> verbs, std::vector<std::string> short_names,
                  std::string sub_group = "", std::string sub_version = "") {
  return {std::move(group), std::move(version), std::move(resource), std::move(singular), std::move(kind), namespaced,
          std::move(verbs), std::move(short_names), std::move(sub_group), std::move(sub_version), false};
}

const std::vector<KindInfo> &builtin_kinds() {
  static const std::vector<KindInfo> all{
      stored("", "configmaps", "configmap", "ConfigMap", true, {"cm"}),
      stored("", "namespaces", "namespace", "Namespace", false, {"ns"}),
      modelled("", "v1", "nodes", "node", "Node", false, {"get", "list", "patch", "update", "watch"}, {"no"}),
      modelled("", "v1", "pods", "pod", "Pod", true, {"delete", "get", "list", "watch"}, {"po"}),
      modelled("", "v1", "pods/eviction", "", "Eviction", true, {"create"}, {}, "policy", "v1"),
      stored("", "secrets", "secret", "Secret", true),
      stored("", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}),
      stored("", "services", "service", "Service", true, {"svc"}),
      stored("apps", "daemonsets", "daemonset", "DaemonSet", true, {"ds"}),
      stored("apps", "deployments", "deployment", "Deployment", true, {"deploy"}),
      modelled("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, kReadVerbs, {"rs"}),
      modelled("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, kAllVerbs, {"pdb"}),
      modelled("policy", "v1beta1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, kAllVerbs, {"pdb"}),
      modelled("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, kAllVerbs, {}),
      stored("rbac.authorization.k8s.io", "clusterroles", "clusterrole", "ClusterRole", false),
      stored("rbac.authorization.k8s.io", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false),
      stored("rbac.authorization.k8s.io", "roles", "role", "Role", true),
      stored("rbac.authorization.k8s.io", "rolebindings", "rolebinding", "RoleBinding", true),
      stored("apiextensions.k8s.io", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition",
             false, {"crd", "crds"}),
  };
  return all;
}

std::string text(const YAML::Node &node) { return node && node.IsScalar() ? node.Scalar() : ""; }

void add_crd_kinds(const detail::StoredObject &crd, std::vector<KindInfo> &out) {
  const YAML::Node &object = crd.object;
  const YAML::Node &spec = object["spec"];
  if (!spec || !spec.IsMap() || !spec["names"] || !spec["versions"] || !spec["versions"].IsSequence()) return;
  const YAML::Node &names = spec["names"];
  KindInfo k = stored(text(spec["group"]), text(names["plural"]), text(names["singular"]), text(names["kind"]),
                      text(spec["scope"]) != "Cluster");
  if (k.singular.empty())
    for (char c : k.kind) k.singular += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (names["shortNames"] && names["shortNames"].IsSequence())
    for (const auto &s : names["shortNames"]) k.short_names.push_back(text(s));
  if (k.group.empty() || k.resource.empty() || k.kind.empty()) return;
  for (const auto &v : spec["versions"]) {
    if (!v.IsMap() || (v["served"] && text(v["served"]) == "false")) continue;
    k.version = text(v["name"]);
    if (!k.version.empty()) out.push_back(k);
  }
}

}  // namespace

std::vector<KindInfo> all_kinds(const detail::ObjectStore &store) {
  std::vector<KindInfo> out = builtin_kinds();
  for (const auto *crd : store.of_kind("apiextensions.k8s.io", "CustomResourceDefinition")) add_crd_kinds(*crd, out);
  return out;
}

std::optional<KindInfo> find_kind(const detail::ObjectStore &store, const std::string &group, const std::string &version,
                                  const std::string &resource) {
  for (const auto &k : all_kinds(store))
    if (k.group == group && k.version == version && k.resource == resource) return k;
  return std::nullopt;
}

}  // namespace kuphost::sandbox::apiserver
