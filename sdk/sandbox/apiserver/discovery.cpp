#include "discovery.h"

#include <algorithm>
#include <vector>

#include "json_writer.h"
#include "kinds.h"
#include "version.h"

namespace kuphost::sandbox::apiserver {
namespace {

using sim::Json;

struct GroupVersion {
  std::string group, version;
  std::vector<KindInfo> resources;
};

// The served group versions, in the order kinds() lists them.
std::vector<GroupVersion> group_versions(const detail::ObjectStore &store) {
  std::vector<GroupVersion> out;
  for (const auto &k : all_kinds(store)) {
    auto it = std::find_if(out.begin(), out.end(), [&](const GroupVersion &gv) {
      return gv.group == k.group && gv.version == k.version;
    });
    if (it == out.end()) it = out.insert(out.end(), GroupVersion{k.group, k.version, {}});
    it->resources.push_back(k);
  }
  return out;
}

Json strings(const std::vector<std::string> &items) {
  Json a = Json::array();
  for (const auto &s : items) a.push(s);
  return a;
}

Json resource_list(const GroupVersion &gv) {
  Json j = Json::object();
  j.set("kind", "APIResourceList");
  j.set("apiVersion", "v1");
  j.set("groupVersion", !gv.group.empty() ? gv.group + "/" + gv.version : gv.version);
  Json resources = Json::array();
  for (const auto &r : gv.resources) {
    Json res = Json::object();
    res.set("name", r.resource);
    res.set("singularName", r.singular);
    res.set("namespaced", r.namespaced);
    if (!r.sub_group.empty()) res.set("group", r.sub_group);
    if (!r.sub_version.empty()) res.set("version", r.sub_version);
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

Json group_list(const std::vector<GroupVersion> &all) {
  Json j = Json::object();
  j.set("kind", "APIGroupList");
  j.set("apiVersion", "v1");
  Json groups = Json::array();
  std::vector<std::string> seen;
  for (const auto &gv : all) {
    const std::string g = gv.group;
    if (g.empty() || std::find(seen.begin(), seen.end(), g) != seen.end()) continue;
    seen.push_back(g);
    Json group = Json::object();
    group.set("name", g);
    Json versions = Json::array();
    std::string preferred;
    for (const auto &other : all)
      if (g == other.group) {
        versions.push(group_version(g, other.version));
        if (preferred.empty() || other.version == "v1") preferred = other.version;
      }
    group.set("versions", std::move(versions));
    group.set("preferredVersion", group_version(g, preferred));
    groups.push(std::move(group));
  }
  j.set("groups", std::move(groups));
  return j;
}

std::string api_path(const GroupVersion &gv) {
  return !gv.group.empty() ? "apis/" + gv.group + "/" + gv.version : "api/" + gv.version;
}

// OpenAPI v3, only as far as kubectl's field-validation check reads it: a
// PATCH operation per kind that accepts `fieldValidation`, so create,
// replace and apply validate on the server (which accepts everything)
// instead of downloading the protobuf OpenAPI v2 schema.
Json openapi_root(const std::vector<GroupVersion> &all) {
  Json paths = Json::object();
  for (const auto &gv : all) {
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
    if (r.resource.find('/') != std::string::npos) continue;
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
    paths.set("/" + api_path(gv) + scope + r.resource + "/{name}", std::move(item));
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

std::optional<Response> discovery(const std::string &path, int port, const detail::ObjectStore &store) {
  if (!path.starts_with("/api") && !path.starts_with("/openapi")) return std::nullopt;
  const std::vector<GroupVersion> all = group_versions(store);
  // An empty OpenAPI v2 document (an empty protobuf message is no bytes):
  // kubectl falls back to it to validate a kind the v3 root did not list
  // when it was read (a CR applied with its CRD), and skips kinds it lacks.
  if (path == "/openapi/v2") return Response{200, ""};
  if (path == "/openapi/v3") return Response{200, openapi_root(all).dump_compact_sorted()};
  for (const auto &gv : all)
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
  if (path == "/apis") return Response{200, group_list(all).dump_compact_sorted()};
  for (const auto &gv : all) {
    if (path == "/" + api_path(gv)) return Response{200, resource_list(gv).dump_compact_sorted()};
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
