// policy/v1 and policy/v1beta1 PodDisruptionBudgets: enough for a test to
// create one that blocks evictions, then relax it with `kubectl patch pdb`,
// `kubectl replace` or `kubectl delete pdb`.
#include <algorithm>

#include "cluster_state.h"
#include "handlers.h"
#include "list_filter.h"
#include "objects.h"
#include "namespaced_store.h"
#include "status.h"

namespace kuphost::sandbox::apiserver {
namespace {

using detail::ClusterState;
using detail::DisruptionBudget;

const ResourceRef kBudgets{"poddisruptionbudgets", "policy", "PodDisruptionBudget"};

std::string api_version(const Route &route) { return "policy/" + route.version; }

// An IntOrString that must be an int here; *error for percentages.
bool read_count(const YAML::Node &node, std::optional<int> *out, std::string *error) {
  if (!node) return true;
  if (node.IsNull()) {
    out->reset();
    return true;
  }
  const std::string text = node.as<std::string>("");
  try {
    size_t used = 0;
    const int value = std::stoi(text, &used);
    if (used != text.size() || value < 0) throw std::invalid_argument(text);
    *out = value;
    return true;
  } catch (const std::exception &) {
    *error = "'" + text + "': only whole numbers of pods are simulated, not percentages";
    return false;
  }
}

// Applies a spec from a create/replace body or a merge patch.
bool apply_spec(const YAML::Node &spec, DisruptionBudget *b, std::string *error) {
  if (!spec) return true;
  if (!read_count(spec["minAvailable"], &b->min_available, error)) return false;
  if (!read_count(spec["maxUnavailable"], &b->max_unavailable, error)) return false;
  if (const YAML::Node labels = field(spec, {"selector", "matchLabels"}); labels && labels.IsMap()) {
    for (const auto &kv : labels) {
      if (kv.second.IsNull()) b->match_labels.erase(kv.first.as<std::string>());
      else b->match_labels[kv.first.as<std::string>()] = kv.second.as<std::string>("");
    }
  }
  if (b->min_available && b->max_unavailable) {
    *error = "spec: Invalid value: minAvailable and maxUnavailable cannot be both set";
    return false;
  }
  return true;
}

DisruptionBudget *find(ClusterState &state, const std::string &ns, const std::string &name) {
  for (auto &b : state.disruption_budgets)
    if (b.ns == ns && b.name == name) return &b;
  return nullptr;
}

Response create(const ApiContext &ctx, const Request &req, const Route &route) {
  const auto body = parse_body(req);
  if (!body || !body->IsMap()) return bad_request("the body is not a PodDisruptionBudget");
  DisruptionBudget b;
  b.name = field(*body, {"metadata", "name"}).as<std::string>("");
  b.ns = route.ns;
  if (b.name.empty()) return invalid(kBudgets, "", "metadata.name: Required value: name or generateName is required");
  std::string error;
  if (!apply_spec((*body)["spec"], &b, &error)) return invalid(kBudgets, b.name, error);
  std::optional<Response> answer;
  detail::update_cluster(ctx.sandbox_dir, [&](ClusterState &state) {
    if (find(state, b.ns, b.name)) {
      answer = already_exists(kBudgets, b.name);
      return false;
    }
    b.resource_version = state.next_resource_version();
    b.created_at = now_seconds();
    state.disruption_budgets.push_back(b);
    answer = Response{201, budget_json(b, state, api_version(route)).dump_compact_sorted()};
    return true;
  });
  return *answer;
}

Response change(const ApiContext &ctx, const Request &req, const Route &route) {
  const auto body = parse_body(req);
  if (!body || !body->IsMap()) return bad_request("the body is not a JSON object");
  const std::string wanted_rv = field(*body, {"metadata", "resourceVersion"}).as<std::string>("");
  std::optional<Response> answer;
  detail::update_cluster(ctx.sandbox_dir, [&](ClusterState &state) {
    DisruptionBudget *b = find(state, route.ns, route.name);
    if (!b) {
      answer = not_found(kBudgets, route.name);
      return false;
    }
    if (!wanted_rv.empty() && wanted_rv != std::to_string(b->resource_version)) {
      answer = conflict(kBudgets, route.name);
      return false;
    }
    DisruptionBudget updated = *b;
    if (req.method == "PUT") {  // a replacement: the body's spec is the whole spec
      updated.min_available.reset();
      updated.max_unavailable.reset();
      updated.match_labels.clear();
    }
    std::string error;
    if (!apply_spec((*body)["spec"], &updated, &error)) {
      answer = invalid(kBudgets, route.name, error);
      return false;
    }
    updated.resource_version = state.next_resource_version();
    *b = updated;
    answer = Response{200, budget_json(*b, state, api_version(route)).dump_compact_sorted()};
    return true;
  });
  return *answer;
}


}  // namespace

Response handle_budgets(const ApiContext &ctx, const Request &req, const Route &route) {
  if (!route.subresource.empty()) return not_found(kBudgets, route.name);
  if (route.name.empty()) {
    if (req.method == "POST") {
      if (route.ns.empty()) return method_not_allowed(req);
      return create(ctx, req, route);
    }
    if (req.method != "GET") return method_not_allowed(req);
    return list_namespaced(ctx, req, route, &ClusterState::disruption_budgets, "PodDisruptionBudgetList", api_version(route),
                           [&](const DisruptionBudget &b, const ClusterState &s) { return budget_json(b, s, api_version(route)); });
  }
  if (req.method == "GET") {
    ClusterState state = detail::read_cluster(ctx.sandbox_dir);
    const DisruptionBudget *b = find(state, route.ns, route.name);
    if (!b) return not_found(kBudgets, route.name);
    return {200, budget_json(*b, state, api_version(route)).dump_compact_sorted()};
  }
  if (req.method == "PUT" || req.method == "PATCH") return change(ctx, req, route);
  if (req.method == "DELETE") return delete_namespaced(ctx, req, route, &ClusterState::disruption_budgets, kBudgets);
  return method_not_allowed(req);
}

}  // namespace kuphost::sandbox::apiserver
