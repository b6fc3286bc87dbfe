// coordination.k8s.io/v1 Leases with resourceVersion preconditions: create
// fails with 409 AlreadyExists, an update carrying a stale
// metadata.resourceVersion with 409 Conflict, as leader election relies on.
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
using detail::Lease;

const ResourceRef kLeases{"leases", "coordination.k8s.io", "Lease"};

Lease *find(ClusterState &state, const std::string &ns, const std::string &name) {
  for (auto &l : state.leases)
    if (l.ns == ns && l.name == name) return &l;
  return nullptr;
}

// Sets the fields `spec` names; null clears one. A PUT clears first.
void apply_spec(const YAML::Node &spec, Lease *l) {
  if (!spec || !spec.IsMap()) return;
  auto text = [&](const char *key, std::string *out) {
    if (const YAML::Node v = spec[key]) *out = v.IsNull() ? "" : v.as<std::string>("");
  };
  text("holderIdentity", &l->holder_identity);
  text("acquireTime", &l->acquire_time);
  text("renewTime", &l->renew_time);
  if (const YAML::Node v = spec["leaseDurationSeconds"]) {
    if (v.IsNull()) l->lease_duration_seconds.reset();
    else l->lease_duration_seconds = v.as<int>(0);
  }
  if (const YAML::Node v = spec["leaseTransitions"]) l->lease_transitions = v.IsNull() ? 0 : v.as<int>(0);
}

Response create(const ApiContext &ctx, const Request &req, const Route &route) {
  const auto body = parse_body(req);
  if (!body || !body->IsMap()) return bad_request("the body is not a Lease");
  Lease lease;
  lease.name = field(*body, {"metadata", "name"}).as<std::string>("");
  lease.ns = route.ns;
  if (lease.name.empty()) return invalid(kLeases, "", "metadata.name: Required value: name or generateName is required");
  apply_spec((*body)["spec"], &lease);
  std::optional<Response> answer;
  detail::update_cluster(ctx.sandbox_dir, [&](ClusterState &state) {
    if (find(state, lease.ns, lease.name)) {
      answer = already_exists(kLeases, lease.name);
      return false;
    }
    lease.resource_version = state.next_resource_version();
    lease.created_at = now_seconds();
    state.leases.push_back(lease);
    answer = Response{201, lease_json(lease).dump_compact_sorted()};
    return true;
  });
  return *answer;
}

Response change(const ApiContext &ctx, const Request &req, const Route &route) {
  const auto body = parse_body(req);
  if (!body || !body->IsMap()) return bad_request("the body is not a JSON object");
  if (req.method == "PUT") {
    const std::string body_name = field(*body, {"metadata", "name"}).as<std::string>("");
    if (body_name != route.name)
      return bad_request("the name of the object (" + body_name + ") does not match the name on the URL (" +
                         route.name + ")");
  }
  const std::string wanted_rv = field(*body, {"metadata", "resourceVersion"}).as<std::string>("");
  std::optional<Response> answer;
  detail::update_cluster(ctx.sandbox_dir, [&](ClusterState &state) {
    Lease *l = find(state, route.ns, route.name);
    if (!l) {
      answer = not_found(kLeases, route.name);
      return false;
    }
    // An empty resourceVersion is an unconditional update, which Leases allow.
    if (!wanted_rv.empty() && wanted_rv != std::to_string(l->resource_version)) {
      answer = conflict(kLeases, route.name);
      return false;
    }
    if (req.method == "PUT") {
      const Lease old = *l;
      *l = Lease{};
      l->name = old.name;
      l->ns = old.ns;
      l->created_at = old.created_at;
    }
    apply_spec((*body)["spec"], l);
    l->resource_version = state.next_resource_version();
    answer = Response{200, lease_json(*l).dump_compact_sorted()};
    return true;
  });
  return *answer;
}


}  // namespace

Response handle_leases(const ApiContext &ctx, const Request &req, const Route &route) {
  if (!route.subresource.empty()) return not_found(kLeases, route.name);
  if (route.name.empty()) {
    if (req.method == "POST") {
      if (route.ns.empty()) return method_not_allowed(req);
      return create(ctx, req, route);
    }
    if (req.method != "GET") return method_not_allowed(req);
    return list_namespaced(ctx, req, route, &ClusterState::leases, "LeaseList", "coordination.k8s.io/v1",
                           [](const Lease &l, const ClusterState &) { return lease_json(l); });
  }
  if (req.method == "GET") {
    ClusterState state = detail::read_cluster(ctx.sandbox_dir);
    const Lease *l = find(state, route.ns, route.name);
    return l ? Response{200, lease_json(*l).dump_compact_sorted()} : not_found(kLeases, route.name);
  }
  if (req.method == "PUT" || req.method == "PATCH") return change(ctx, req, route);
  if (req.method == "DELETE") return delete_namespaced(ctx, req, route, &ClusterState::leases, kLeases);
  return method_not_allowed(req);
}

}  // namespace kuphost::sandbox::apiserver
