// The resource handlers behind the router. Each reads or changes
// DIR/cluster/cluster.yaml (changes under its lock, through
// detail::update_cluster), so the node simulator's changes are what the
// server reports and the server keeps no state of its own. Kinds cluster.yaml
// does not model live in DIR/cluster/objects.yaml (object_store.h).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "api_types.h"
#include "cluster_state.h"
#include "kinds.h"
#include "object_store.h"
#include "server_logs.h"

namespace kuphost::sandbox::apiserver {

// A resource URL taken apart: /apis/policy/v1/namespaces/default/poddisruptionbudgets/web
struct Route {
  std::string group, version;  // "" and "v1" for the core group
  std::string ns;              // empty for cluster-scoped or all-namespaces requests
  std::string resource, name, subresource;
};

struct ApiContext {
  std::filesystem::path sandbox_dir;
  int port = 0;
  ServerLogs *logs = nullptr;
};

Response handle_nodes(const ApiContext &ctx, const Request &req, const Route &route);
Response handle_pods(const ApiContext &ctx, const Request &req, const Route &route);
Response handle_workloads(const ApiContext &ctx, const Request &req, const Route &route);  // apps/v1 ReplicaSets
// The kinds objects.yaml keeps (stored_handlers.cpp).
Response handle_stored(const ApiContext &ctx, const Request &req, const Route &route, const KindInfo &kind,
                       const detail::ObjectStore &store);
// The DaemonSets or ReplicaSets owning pods in cluster.yaml, as JSON texts by (namespace, name).
std::map<std::pair<std::string, std::string>, std::string> synthetic_workloads(const detail::ClusterState &state,
                                                                                const std::string &kind);
Response handle_budgets(const ApiContext &ctx, const Request &req, const Route &route);
Response handle_leases(const ApiContext &ctx, const Request &req, const Route &route);

// The request body as YAML (JSON is YAML); nullopt for a body that is not.
std::optional<YAML::Node> parse_body(const Request &req);

// node[a][b]..., or an undefined node when a step is missing (yaml-cpp
// throws when indexing into a missing key).
YAML::Node field(const YAML::Node &node, std::initializer_list<const char *> path);

// The microsecond UTC time of now, as Kubernetes' MicroTime prints it.
std::string now_micro();
// RFC 3339 seconds, as metav1.Time prints it.
std::string now_seconds();

Response method_not_allowed(const Request &req);

}  // namespace kuphost::sandbox::apiserver
