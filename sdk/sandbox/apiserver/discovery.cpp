#include "discovery.h"

#include <algorithm>
#include <vector>

#include "json_writer.h"
#include "version.h"

namespace kuphost::sandbox::apiserver {
namespace {

using sim::Json;

struct ResourceInfo {
  const char *name, *singular, *kind;
  bool namespaced;
  std::vector<const char *> verbs, short_names;
  const char *group = nullptr, *version = nullptr;  // for subresources served by another group
};

const std::vector<const char *> kAllVerbs{"create", "delete", "deletecollection", "get", "list", "patch", "update",
                                          "watch"};
const std::vector<const char *> kReadVerbs{"get", "list", "watch"};

struct GroupVersion {
  const char *group, *version;
  std::vector<ResourceInfo> resources;
};

const std::vector<GroupVersion> &group_versions() {
  static const std::vector<GroupVersion> all{
      {"", "v1",
       {{"namespaces", "namespace", "Namespace", false, kReadVerbs, {"ns"}},
        {"nodes", "node", "Node", false, {"get", "list", "patch", "update", "watch"}, {"no"}},
        {"pods", "pod", "Pod", true, {"delete", "get", "list", "watch"}, {"po"}},
        {"pods/eviction", "", "Eviction", true, {"create"}, {}, "policy", "v1"}}},
      {"apps", "v1",
       {{"daemonsets", "daemonset", "DaemonSet", true, kReadVerbs, {"ds"}},
        {"replicasets", "replicaset", "ReplicaSet", true, kReadVerbs, {"rs"}}}},
      {"policy", "v1", {{"poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, kAllVerbs, {"pdb"}}}},
      {"policy", "v1beta1",
       {{"poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, kAllVerbs, {"pdb"}}}},
      {"coordination.k8s.io", "v1", {{"leases", "lease", "Lease", true, kAllVerbs, {}}}},
  };
  return all;
}

Json strings(const std::vector<const char *> &items) {
  Json a = Json::array();
  for (const char *s : items) a.push(s);
  return a;
}

Json resource_list(const GroupVersion &gv) {
  Json j = Json::object();
  j.set("kind", "APIResourceList");
  j.set("apiVersion", "v1");
  j.set("groupVersion", *gv.group ? std::string(gv.group) + "/" + gv.version : std::string(gv.version));
  Json resources = Json::array();
  for (const auto &r : gv.resources) {
    Json res = Json::object();
    res.set("name", r.name);
    res.set("singularName", r.singular);
    res.set("namespaced", r.namespaced);
    if (r.group) res.set("group", r.group);
    if (r.version) res.set("version", r.version);
    res.set("kind", r.kind);
    res.set("verbs", strings(r.verbs));
    if (!r.short_names.empty()) res.set("shortNames", strings(r.short_names));
    resources.push(std::move(res));
  }
  j.set("resources", std::move(resources));
  return j;
}

Json group_version(const std::string &group, const std::string &version) {
  Json v = Json::object();
  v.set("groupVersion", group + "/" + version);
  v.set("version", version);
  return v;
}

Json group_list() {
  Json j = Json::object();
  j.set("kind", "APIGroupList");
  j.set("apiVersion", "v1");
  Json groups = Json::array();
  std::vector<std::string> seen;
  for (const auto &gv : group_versions()) {
    const std::string g = gv.group;
    if (g.empty() || std::find(seen.begin(), seen.end(), g) != seen.end()) continue;
    seen.push_back(g);
    Json group = Json::object();
    group.set("name", g);
    Json versions = Json::array();
    for (const auto &other : group_versions())
      if (g == other.group) versions.push(group_version(g, other.version));
    group.set("versions", std::move(versions));
    group.set("preferredVersion", group_version(g, "v1"));  // every group here prefers v1
    groups.push(std::move(group));
  }
  j.set("groups", std::move(groups));
  return j;
}

std::string api_path(const GroupVersion &gv) {
  return *gv.group ? std::string("apis/") + gv.group + "/" + gv.version : std::string("api/") + gv.version;
}

// OpenAPI v3, only as far as kubectl's field-validation check reads it: a
// PATCH operation per kind that accepts `fieldValidation`, so create,
// replace and apply validate on the server (which accepts everything)
// instead of downloading the protobuf OpenAPI v2 schema.
Json openapi_root() {
  Json paths = Json::object();
  for (const auto &gv : group_versions()) {
    Json entry = Json::object();
    entry.set("serverRelativeURL", "/openapi/v3/" + api_path(gv) + "?hash=kuphost");
    paths.set(api_path(gv), std::move(entry));
  }
  Json j = Json::object();
  j.set("paths", std::move(paths));
  return j;
}

Json openapi_group_version(const GroupVersion &gv) {
  Json paths = Json::object();
  for (const auto &r : gv.resources) {
    if (std::string(r.name).find('/') != std::string::npos) continue;
    Json param = Json::object();
    param.set("name", "fieldValidation");
    param.set("in", "query");
    Json schema = Json::object();
    schema.set("type", "string");
    param.set("schema", std::move(schema));
    Json params = Json::array();
    params.push(std::move(param));
    Json gvk = Json::object();
    gvk.set("group", gv.group);
    gvk.set("version", gv.version);
    gvk.set("kind", r.kind);
    Json op = Json::object();
    op.set("parameters", std::move(params));
    op.set("x-kubernetes-group-version-kind", std::move(gvk));
    Json item = Json::object();
    item.set("patch", std::move(op));
    const std::string scope = r.namespaced ? "/namespaces/{namespace}/" : "/";
    paths.set("/" + api_path(gv) + scope + r.name + "/{name}", std::move(item));
  }
  Json info = Json::object();
  info.set("title", "Kubernetes");
  info.set("version", "kuphost-sandbox");
  Json j = Json::object();
  j.set("openapi", "3.0.0");
  j.set("info", std::move(info));
  j.set("paths", std::move(paths));
  j.set("components", Json::object());
  return j;
}

}  // namespace

std::optional<Response> discovery(const std::string &path, int port) {
  if (path == "/openapi/v3") return Response{200, openapi_root().dump_compact_sorted()};
  for (const auto &gv : group_versions())
    if (path == "/openapi/v3/" + api_path(gv)) return Response{200, openapi_group_version(gv).dump_compact_sorted()};
  if (path == "/api") {
    Json j = Json::object();
    j.set("kind", "APIVersions");
    Json versions = Json::array();
    versions.push("v1");
    j.set("versions", std::move(versions));
    Json address = Json::object();
    address.set("clientCIDR", "0.0.0.0/0");
    address.set("serverAddress", "127.0.0.1:" + std::to_string(port));
    Json addresses = Json::array();
    addresses.push(std::move(address));
    j.set("serverAddressByClientCIDRs", std::move(addresses));
    return Response{200, j.dump_compact_sorted()};
  }
  if (path == "/apis") return Response{200, group_list().dump_compact_sorted()};
  for (const auto &gv : group_versions()) {
    const std::string prefix = *gv.group ? std::string("/apis/") + gv.group + "/" + gv.version
                                         : std::string("/api/") + gv.version;
    if (path == prefix) return Response{200, resource_list(gv).dump_compact_sorted()};
  }
  return std::nullopt;
}

Response version_response(const detail::ClusterState &state) {
  const auto v = detail::KubeVersion::parse(state.kubernetes_version);
  Json j = Json::object();
  j.set("major", v ? std::to_string(v->major) : "1");
  j.set("minor", v ? std::to_string(v->minor) : "0");
  j.set("gitVersion", state.kubernetes_version);
  j.set("gitCommit", detail::pod_suffix(state.kubernetes_version, 40));
  j.set("gitTreeState", "clean");
  j.set("buildDate", "2024-09-11T21:22:08Z");
  j.set("goVersion", v && v->minor >= 32 ? "go1.23.4" : "go1.22.8");
  j.set("compiler", "gc");
  j.set("platform", "linux/amd64");
  return {200, j.dump_compact_sorted()};
}

}  // namespace kuphost::sandbox::apiserver
