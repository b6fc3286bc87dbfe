// List and delete for the namespaced kinds cluster.yaml keeps as vectors
// (PodDisruptionBudgets, Leases): the same API semantics for each — list
// across or within a namespace with field selectors, delete with an optional
// resourceVersion precondition.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cluster_state.h"
#include "handlers.h"
#include "list_filter.h"
#include "objects.h"
#include "status.h"

namespace kuphost::sandbox::apiserver {

template <typename T, typename ToJson>
Response list_namespaced(const ApiContext &ctx, const Request &req, const Route &route,
                         std::vector<T> detail::ClusterState::*member, const std::string &list_kind,
                         const std::string &api_version, ToJson to_json) {
  const detail::ClusterState state = detail::read_cluster(ctx.sandbox_dir);
  std::string error;
  const auto filter = ListFilter::from(req, &error);
  if (!filter) return bad_request(error);
  std::vector<Json> items;
  for (const T &object : state.*member)
    if ((route.ns.empty() || object.ns == route.ns) &&
        filter->matches({}, {{"metadata.name", object.name}, {"metadata.namespace", object.ns}}))
      items.push_back(to_json(object, state));
  return {200, list_json(list_kind, api_version, state.resource_version, std::move(items)).dump_compact_sorted()};
}

template <typename T>
Response delete_namespaced(const ApiContext &ctx, const Request &req, const Route &route,
                           std::vector<T> detail::ClusterState::*member, const ResourceRef &ref) {
  const auto body = parse_body(req);
  std::string wanted_rv;
  if (body && body->IsMap()) wanted_rv = field(*body, {"preconditions", "resourceVersion"}).as<std::string>("");
  std::optional<Response> answer;
  detail::update_cluster(ctx.sandbox_dir, [&](detail::ClusterState &state) {
    auto &all = state.*member;
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const T &o) { return o.ns == route.ns && o.name == route.name; });
    if (it == all.end()) {
      answer = not_found(ref, route.name);
      return false;
    }
    if (!wanted_rv.empty() && wanted_rv != std::to_string(it->resource_version)) {
      answer = conflict(ref, route.name);
      return false;
    }
    all.erase(it);
    state.next_resource_version();
    answer = status_success(200, ref, route.name);
    return true;
  });
  return *answer;
}

}  // namespace kuphost::sandbox::apiserver
