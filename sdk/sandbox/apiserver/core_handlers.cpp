// nodes and pods (with evictions) of the core group, and the apps/v1
// DaemonSets and ReplicaSets that own pods (stored_handlers.cpp merges the
// DaemonSets and namespaces they imply with the stored ones).
#include <algorithm>

#include "cluster_scheduling.h"
#include "cluster_state.h"
#include "handlers.h"
#include "list_filter.h"
#include "objects.h"
#include "tables.h"
#include "status.h"

namespace kuphost::sandbox::apiserver {
namespace {

using detail::ClusterNode;
using detail::ClusterState;
using detail::Pod;

const ResourceRef kNodes{"nodes", "", "Node"};
const ResourceRef kPods{"pods", "", "Pod"};
const ResourceRef kNamespaces{"namespaces", "", "Namespace"};

Response json(int code, const Json &j) { return {code, j.dump_compact_sorted()}; }

// How kubectl's patches set spec.unschedulable: true, false or null (unset).
std::optional<bool> patched_unschedulable(const YAML::Node &patch) {
  const YAML::Node spec = patch["spec"];
  if (!spec || !spec.IsMap() || !spec["unschedulable"]) return std::nullopt;
  const YAML::Node value = spec["unschedulable"];
  if (value.IsNull()) return false;
  return value.as<bool>(false);
}

Response patch_node(const ApiContext &ctx, const Request &req, const std::string &name) {
  if (req.content_type.find("json-patch+json") != std::string::npos)
    return status_error(415, "UnsupportedMediaType", "JSON patches are not simulated; use a merge or strategic merge patch");
  const auto patch = parse_body(req);
  if (!patch || !patch->IsMap()) return bad_request("the patch is not a JSON object");
  std::optional<Response> answer;
  std::optional<bool> cordon_change;
  detail::update_cluster(ctx.sandbox_dir, [&](ClusterState &state) {
    ClusterNode *node = state.find(name);
    if (!node) {
      answer = not_found(kNodes, name);
      return false;
    }
    if (const auto unschedulable = patched_unschedulable(*patch); unschedulable && *unschedulable != node->unschedulable) {
      node->unschedulable = *unschedulable;
      cordon_change = *unschedulable;
    }
    if (const YAML::Node labels = field(*patch, {"metadata", "labels"}); labels && labels.IsMap())
      for (const auto &kv : labels) {
        if (kv.second.IsNull()) node->labels.erase(kv.first.as<std::string>());
        else node->labels[kv.first.as<std::string>()] = kv.second.as<std::string>("");
      }
    node->resource_version = state.next_resource_version();
    // A node that takes pods again gets the ones waiting for a place.
    if (cordon_change && !*cordon_change) detail::schedule_pending(state);
    answer = json(200, node_json(*node));
    return true;
  });
  if (cordon_change) ctx.logs->cordon(name, *cordon_change, req.identity.user);
  return *answer;
}

struct PodRef {
  const Pod *pod;
  std::string node;  // empty when pending
  std::string created_at;
};

std::vector<PodRef> all_pods(const ClusterState &state) {
  std::vector<PodRef> out;
  for (const auto &n : state.nodes)
    for (const auto &p : n.pods) out.push_back({&p, n.name, n.created_at});
  for (const auto &p : state.pending_pods) out.push_back({&p, "", ""});
  return out;
}

const Pod *find_pod(const ClusterState &state, const std::string &ns, const std::string &name, std::string *node) {
  for (const auto &n : state.nodes)
    for (const auto &p : n.pods)
      if (p.ns == ns && p.name == name) {
        *node = n.name;
        return &p;
      }
  return nullptr;
}

// The budgets that would be violated by taking one of `pod`'s kind away.
std::optional<std::string> blocking_budget(const ClusterState &state, const Pod &pod) {
  for (const auto &b : state.disruption_budgets) {
    if (b.ns != pod.ns || !labels_match(b.match_labels, pod.labels)) continue;
    const BudgetStatus s = budget_status(b, state);
    if (s.disruptions_allowed < 1)
      return "The disruption budget " + b.name + " needs " + std::to_string(s.desired_healthy) + " healthy pods and has " +
             std::to_string(s.healthy) + " currently";
  }
  return std::nullopt;
}

Response evict(const ApiContext &ctx, const Request &req, const Route &route) {
  if (req.method != "POST") return method_not_allowed(req);
  std::optional<Response> answer;
  detail::update_cluster(ctx.sandbox_dir, [&](ClusterState &state) {
    std::string node;
    const Pod *pod = find_pod(state, route.ns, route.name, &node);
    if (!pod) {
      answer = not_found(kPods, route.name);
      return false;
    }
    if (const auto why = blocking_budget(state, *pod)) {
      Json j = Json::object();
      j.set("kind", "Status");
      j.set("apiVersion", "v1");
      j.set("metadata", Json::object());
      j.set("status", "Failure");
      j.set("message", "Cannot evict pod as it would violate the pod's disruption budget.");
      j.set("reason", "TooManyRequests");
      Json cause = Json::object();
      cause.set("reason", "DisruptionBudget");
      cause.set("message", *why);
      Json causes = Json::array();
      causes.push(std::move(cause));
      Json details = Json::object();
      details.set("causes", std::move(causes));
      j.set("details", std::move(details));
      j.set("code", 429);
      answer = Response{429, j.dump_compact_sorted()};
      return false;
    }
    detail::evict_pod(state, node, route.name);
    state.next_resource_version();
    answer = status_success(201, kPods, route.name);
    return true;
  });
  return *answer;
}

Response delete_pod(const ApiContext &ctx, const Route &route) {
  std::optional<Response> answer;
  detail::update_cluster(ctx.sandbox_dir, [&](ClusterState &state) {
    std::string node;
    const Pod *pod = find_pod(state, route.ns, route.name, &node);
    if (!pod) {
      answer = not_found(kPods, route.name);
      return false;
    }
    answer = json(200, pod_json(*pod, node, state.find(node)->created_at, state));
    detail::evict_pod(state, node, route.name);  // the ReplicaSet replaces it, as after an eviction
    state.next_resource_version();
    return true;
  });
  return *answer;
}

}  // namespace

Response handle_nodes(const ApiContext &ctx, const Request &req, const Route &route) {
  if (!route.name.empty() && !route.subresource.empty()) return not_found(kNodes, route.name);
  if (req.method == "PATCH" && !route.name.empty()) return patch_node(ctx, req, route.name);
  if (req.method != "GET") return method_not_allowed(req);
  const ClusterState state = detail::read_cluster(ctx.sandbox_dir);
  if (!route.name.empty()) {
    const ClusterNode *node = state.find(route.name);
    return node ? json(200, node_json(*node)) : not_found(kNodes, route.name);
  }
  std::string error;
  const auto filter = ListFilter::from(req, &error);
  if (!filter) return bad_request(error);
  std::vector<Json> items;
  for (const auto &n : state.nodes) {
    const Json node = node_json(n);
    std::map<std::string, std::string> labels;
    if (const Json *meta = node.find("metadata"))
      if (const Json *l = meta->find("labels"))
        for (const auto &[k, v] : *l->as_object()) labels[k] = v.as_string() ? *v.as_string() : "";
    if (filter->matches(labels, {{"metadata.name", n.name}, {"spec.unschedulable", n.unschedulable ? "true" : "false"}}))
      items.push_back(node);
  }
  if (wants_table(req)) return json(200, node_table_json(state, items));
  return json(200, list_json("NodeList", "v1", state.resource_version, std::move(items)));
}

Response handle_pods(const ApiContext &ctx, const Request &req, const Route &route) {
  if (route.subresource == "eviction") return evict(ctx, req, route);
  if (!route.subresource.empty()) return not_found(kPods, route.name);
  if (req.method == "DELETE" && !route.name.empty()) return delete_pod(ctx, route);
  if (req.method != "GET") return method_not_allowed(req);
  const ClusterState state = detail::read_cluster(ctx.sandbox_dir);
  if (!route.name.empty()) {
    for (const auto &ref : all_pods(state))
      if (ref.pod->ns == route.ns && ref.pod->name == route.name)
        return json(200, pod_json(*ref.pod, ref.node, ref.created_at, state));
    return not_found(kPods, route.name);
  }
  std::string error;
  const auto filter = ListFilter::from(req, &error);
  if (!filter) return bad_request(error);
  std::vector<Json> items;
  for (const auto &ref : all_pods(state)) {
    if (!route.ns.empty() && ref.pod->ns != route.ns) continue;
    const std::map<std::string, std::string> fields{{"metadata.name", ref.pod->name},
                                                    {"metadata.namespace", ref.pod->ns},
                                                    {"spec.nodeName", ref.node},
                                                    {"status.phase", ref.node.empty() ? "Pending" : "Running"}};
    if (filter->matches(ref.pod->labels, fields)) items.push_back(pod_json(*ref.pod, ref.node, ref.created_at, state));
  }
  return json(200, list_json("PodList", "v1", state.resource_version, std::move(items)));
}

Response handle_workloads(const ApiContext &ctx, const Request &req, const Route &route) {
  const std::string kind = route.resource == "daemonsets" ? "DaemonSet" : "ReplicaSet";
  const ResourceRef ref{route.resource, "apps", kind};
  if (req.method != "GET") return method_not_allowed(req);
  const ClusterState state = detail::read_cluster(ctx.sandbox_dir);
  const auto owners = synthetic_workloads(state, kind);
  if (!route.name.empty()) {
    const auto it = owners.find({route.ns, route.name});
    if (it == owners.end()) return not_found(ref, route.name);
    return {200, it->second};
  }
  std::string items;
  for (const auto &[key, text] : owners)
    if (route.ns.empty() || key.first == route.ns) items += (items.empty() ? "" : ",") + text;
  return {200, "{\"apiVersion\":\"apps/v1\",\"items\":[" + items + "],\"kind\":\"" + kind +
                   "List\",\"metadata\":{\"resourceVersion\":\"" + std::to_string(state.resource_version) + "\"}}"};
}

std::map<std::pair<std::string, std::string>, std::string> synthetic_workloads(const ClusterState &state,
                                                                                const std::string &kind) {
  // The workloads that exist are the ones owning pods.
  std::map<std::pair<std::string, std::string>, int> owners;
  for (const auto &p : all_pods(state))
    if (p.pod->owner_kind == kind) ++owners[{p.pod->ns, p.pod->owner_name}];
  std::map<std::pair<std::string, std::string>, std::string> out;
  for (const auto &[key, pods] : owners)
    out[key] = workload_json(kind, key.first, key.second, pods).dump_compact_sorted();
  return out;
}

}  // namespace kuphost::sandbox::apiserver
