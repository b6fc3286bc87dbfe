// The kinds kept in objects.yaml (kinds.h): get, list, create, server-side
// apply, merge patch, PUT and delete, for built-in kinds and every kind a
// stored CRD defines. Namespaces and DaemonSets also show the ones
// cluster.yaml implies (kube-system, kube-proxy), unless one is stored.
#include <map>

#include "calico_sim.h"
#include "cluster_state.h"
#include "handlers.h"
#include "list_filter.h"
#include "objects.h"
#include "status.h"
#include "typed_yaml.h"

namespace kuphost::sandbox::apiserver {
namespace {

using detail::ClusterState;
using detail::ObjectStore;
using detail::StoredObject;
using Key = std::pair<std::string, std::string>;  // namespace, name

enum class Write { kCreate, kApply, kReplace, kMerge };

ResourceRef ref_of(const KindInfo &k) { return {k.resource, k.group, k.kind}; }
std::string api_version(const KindInfo &k) { return k.group.empty() ? k.version : k.group + "/" + k.version; }
bool is(const KindInfo &k, const char *group, const char *kind) { return k.group == group && k.kind == kind; }

std::string object_text(const StoredObject &o, const ObjectStore &store, const ClusterState &cluster, const KindInfo &k) {
  YAML::Node view = YAML::Clone(detail::object_as_read(o, store, cluster, detail::now_ms()));
  view["apiVersion"] = api_version(k);
  return detail::to_json(view);
}

std::map<std::string, std::string> labels_of(const YAML::Node &object) {
  std::map<std::string, std::string> labels;
  const YAML::Node &o = object;
  if (o["metadata"] && o["metadata"]["labels"] && o["metadata"]["labels"].IsMap())
    for (const auto &kv : o["metadata"]["labels"]) labels[kv.first.Scalar()] = kv.second.as<std::string>("");
  return labels;
}

// What cluster.yaml implies for the kind, as JSON texts.
std::map<Key, std::string> synthetic(const ClusterState &cluster, const KindInfo &k, const ListFilter *filter) {
  std::map<Key, std::string> out;
  if (is(k, "", "Namespace"))
    for (const auto &n : namespaces_of(cluster))
      if (!filter || filter->matches({{"kubernetes.io/metadata.name", n}}, {{"metadata.name", n}}))
        out[{"", n}] = namespace_json(n).dump_compact_sorted();
  if (is(k, "apps", "DaemonSet"))
    for (const auto &[key, json] : synthetic_workloads(cluster, "DaemonSet"))
      if (!filter || filter->matches({}, {{"metadata.name", key.second}, {"metadata.namespace", key.first}}))
        out[key] = json;
  return out;
}

Response get(const ApiContext &ctx, const Request &req, const Route &route, const KindInfo &k, const ObjectStore &store) {
  const ClusterState cluster = detail::read_cluster(ctx.sandbox_dir);
  if (!route.name.empty()) {
    if (const StoredObject *o = store.find(k.group, k.kind, route.ns, route.name))
      return {200, object_text(*o, store, cluster, k)};
    const auto implied = synthetic(cluster, k, nullptr);
    if (const auto it = implied.find({route.ns, route.name}); it != implied.end()) return {200, it->second};
    return not_found(ref_of(k), route.name);
  }
  std::string error;
  const auto filter = ListFilter::from(req, &error);
  if (!filter) return bad_request(error);
  std::map<Key, std::string> items;
  for (auto &[key, json] : synthetic(cluster, k, &*filter))
    if (route.ns.empty() || key.first == route.ns) items[key] = json;
  for (const StoredObject *o : store.of_kind(k.group, k.kind, route.ns)) {
    items.erase({o->ns(), o->name()});
    if (filter->matches(labels_of(o->object), {{"metadata.name", o->name()}, {"metadata.namespace", o->ns()}}))
      items[{o->ns(), o->name()}] = object_text(*o, store, cluster, k);
  }
  std::string body = "{\"apiVersion\":\"" + api_version(k) + "\",\"items\":[";
  bool first = true;
  for (const auto &[key, json] : items) {
    body += (first ? "" : ",") + json;
    first = false;
  }
  body += "],\"kind\":\"" + k.kind + "List\",\"metadata\":{\"resourceVersion\":\"" +
          std::to_string(store.resource_version) + "\"}}";
  return {200, body};
}

// The body as the object to store, or a 400 saying what is wrong with it.
std::optional<Response> prepare(YAML::Node &object, const Route &route, const KindInfo &k) {
  if (!object.IsMap()) return bad_request("the body is not a " + k.kind + " object");
  object["apiVersion"] = api_version(k);
  object["kind"] = k.kind;
  YAML::Node meta = object["metadata"];
  if (!meta.IsMap()) return invalid(ref_of(k), route.name, "metadata.name: Required value: name or generateName is required");
  const std::string name = meta["name"].as<std::string>("");
  if (name.empty() && route.name.empty())
    return invalid(ref_of(k), "", "metadata.name: Required value: name or generateName is required");
  if (!route.name.empty() && !name.empty() && name != route.name)
    return bad_request("the name of the object (" + name + ") does not match the name on the URL (" + route.name + ")");
  if (name.empty()) meta["name"] = route.name;
  const std::string ns = meta["namespace"].as<std::string>("");
  if (k.namespaced) {
    if (!ns.empty() && ns != route.ns)
      return bad_request("the namespace of the provided object does not match the namespace sent on the request");
    meta["namespace"] = route.ns;
  } else {
    object["metadata"] = detail::without_keys(meta, {"namespace"});
  }
  return std::nullopt;
}

Write write_kind(const Request &req) {
  if (req.method == "POST") return Write::kCreate;
  if (req.method == "PUT") return Write::kReplace;
  return req.content_type.find("apply-patch") != std::string::npos ? Write::kApply : Write::kMerge;
}

Response change(const ApiContext &ctx, const Request &req, const Route &route, const KindInfo &k) {
  if (req.content_type.find("json-patch+json") != std::string::npos)
    return status_error(415, "UnsupportedMediaType", "JSON patches are not simulated; use apply, a merge or strategic merge patch");
  const auto body = parse_body(req);
  if (!body || !body->IsMap()) return bad_request("the body is not a JSON or YAML object");
  const Write how = write_kind(req);
  const ClusterState cluster = detail::read_cluster(ctx.sandbox_dir);
  std::optional<Response> answer;
  detail::update_objects(ctx.sandbox_dir, [&](ObjectStore &store) {
    YAML::Node incoming = YAML::Clone(*body);
    const std::string name = route.name.empty() ? field(incoming, {"metadata", "name"}).as<std::string>("") : route.name;
    const StoredObject *existing = store.find(k.group, k.kind, k.namespaced ? route.ns : "", name);
    if (how == Write::kCreate && existing) answer = already_exists(ref_of(k), name);
    if ((how == Write::kReplace || how == Write::kMerge) && !existing) answer = not_found(ref_of(k), name);
    if (how == Write::kReplace && existing) {
      const std::string wanted = field(incoming, {"metadata", "resourceVersion"}).as<std::string>("");
      if (!wanted.empty() && wanted != field(existing->object, {"metadata", "resourceVersion"}).as<std::string>(""))
        answer = conflict(ref_of(k), name);
    }
    if (how == Write::kMerge && existing) incoming.reset(detail::merge_patch(existing->object, incoming));
    if (!answer) answer = prepare(incoming, route, k);
    if (!answer && !existing && k.namespaced) {
      const auto names = namespaces_of(cluster);
      if (!store.find("", "Namespace", "", route.ns) && std::find(names.begin(), names.end(), route.ns) == names.end())
        answer = not_found({"namespaces", "", "Namespace"}, route.ns);
    }
    if (answer) return false;
    const int64_t now = detail::now_ms();
    const std::string ns = field(incoming, {"metadata", "namespace"}).as<std::string>("");
    detail::store_object(store, incoming, now);
    detail::reconcile_tigera_operator(store, now);
    answer = Response{existing ? 200 : 201, object_text(*store.find(k.group, k.kind, ns, name), store, cluster, k)};
    return true;
  });
  return *answer;
}

Response remove(const ApiContext &ctx, const Route &route, const KindInfo &k) {
  std::optional<Response> answer;
  detail::update_objects(ctx.sandbox_dir, [&](ObjectStore &store) {
    const StoredObject *o = store.find(k.group, k.kind, route.ns, route.name);
    if (!o) {
      answer = not_found(ref_of(k), route.name);
      return false;
    }
    // A CRD takes its custom resources along, a Namespace its objects.
    const YAML::Node &object = o->object;
    if (is(k, "apiextensions.k8s.io", "CustomResourceDefinition") && object["spec"] && object["spec"]["names"]) {
      const std::string group = object["spec"]["group"].as<std::string>(""), kind = object["spec"]["names"]["kind"].as<std::string>("");
      std::erase_if(store.objects, [&](const StoredObject &x) { return x.group() == group && x.kind() == kind; });
    }
    if (is(k, "", "Namespace"))
      std::erase_if(store.objects, [&](const StoredObject &x) { return x.ns() == route.name; });
    store.remove(k.group, k.kind, route.ns, route.name);
    store.next_resource_version();
    answer = status_success(200, ref_of(k), route.name);
    return true;
  });
  return *answer;
}

}  // namespace

Response handle_stored(const ApiContext &ctx, const Request &req, const Route &route, const KindInfo &k,
                       const detail::ObjectStore &store) {
  if (!route.subresource.empty()) return not_found(ref_of(k), route.name);
  if (!k.namespaced && !route.ns.empty()) return status_error(404, "NotFound", "the server could not find the requested resource");
  if (req.method == "GET") return get(ctx, req, route, k, store);
  if (k.namespaced && route.ns.empty()) return method_not_allowed(req);
  if (req.method == "POST" && route.name.empty()) return change(ctx, req, route, k);
  if (route.name.empty()) return method_not_allowed(req);
  if (req.method == "PUT" || req.method == "PATCH") return change(ctx, req, route, k);
  if (req.method == "DELETE") return remove(ctx, route, k);
  return method_not_allowed(req);
}

}  // namespace kuphost::sandbox::apiserver
