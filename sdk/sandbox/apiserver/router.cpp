#include "router.h"

#include <sys/time.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <vector>

#include "cluster_state.h"
#include "discovery.h"
#include "status.h"

namespace kuphost::sandbox::apiserver {
namespace {

std::string percent_decode(const std::string &s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::vector<std::string> segments(const std::string &path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start < path.size()) {
    const size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// /api/v1/... or /apis/G/V/... into a Route; nullopt when it is neither.
std::optional<Route> parse_route(const std::string &path) {
  const auto s = segments(path);
  Route r;
  size_t i;
  if (s.size() >= 3 && s[0] == "api" && s[1] == "v1") {
    r.version = "v1";
    i = 2;
  } else if (s.size() >= 4 && s[0] == "apis") {
    r.group = s[1];
    r.version = s[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  if (s[i] == "namespaces" && s.size() >= i + 3) {  // namespaces/NS/resource...
    r.ns = s[i + 1];
    i += 2;
  }
  r.resource = s[i];
  if (s.size() > i + 1) r.name = s[i + 1];
  if (s.size() > i + 2) r.subresource = s[i + 2];
  if (s.size() > i + 3) return std::nullopt;
  return r;
}

bool public_path(const std::string &path) {
  return path == "/healthz" || path == "/readyz" || path == "/livez" || path == "/version";
}

Response dispatch(const ApiContext &ctx, const Request &req) {
  if (public_path(req.path)) {
    if (req.path == "/version") return version_response(detail::read_cluster(ctx.sandbox_dir));
    return {200, "ok"};
  }
  if (!req.identity.authenticated) return status_error(401, "Unauthorized", "Unauthorized");
  const detail::ObjectStore store = detail::read_objects(ctx.sandbox_dir);
  if (req.method == "GET")
    if (auto d = discovery(req.path, ctx.port, store)) return *d;
  const auto route = parse_route(req.path);
  if (route) {
    const std::string gv = route->group.empty() ? route->version : route->group + "/" + route->version;
    const bool cluster_scoped = route->resource == "nodes";
    if (cluster_scoped && !route->ns.empty()) return status_error(404, "NotFound", "the server could not find the requested resource");
    if (gv == "v1" && route->resource == "nodes") return handle_nodes(ctx, req, *route);
    if (gv == "v1" && route->resource == "pods") return handle_pods(ctx, req, *route);
    if (gv == "apps/v1" && route->resource == "replicasets") return handle_workloads(ctx, req, *route);
    if ((gv == "policy/v1" || gv == "policy/v1beta1") && route->resource == "poddisruptionbudgets")
      return handle_budgets(ctx, req, *route);
    if (gv == "coordination.k8s.io/v1" && route->resource == "leases") return handle_leases(ctx, req, *route);
    if (const auto kind = find_kind(store, route->group, route->version, route->resource); kind && kind->stored)
      return handle_stored(ctx, req, *route, *kind, store);
  }
  return status_error(404, "NotFound", "the server could not find the requested resource");
}

}  // namespace

void parse_target(const std::string &target, std::string *path, std::map<std::string, std::string> *query) {
  const size_t q = target.find('?');
  *path = target.substr(0, q);
  if (q == std::string::npos) return;
  const std::string text = target.substr(q + 1);
  size_t start = 0;
  while (start <= text.size()) {
    const size_t amp = text.find('&', start);
    const std::string pair = text.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      (*query)[percent_decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
}

Response route_request(const ApiContext &ctx, const Request &req) {
  try {
    return dispatch(ctx, req);
  } catch (const std::exception &e) {
    return status_error(500, "InternalError", std::string("an error on the server (") + e.what() +
                                                  ") has prevented the request from succeeding");
  }
}

std::optional<YAML::Node> parse_body(const Request &req) {
  if (req.body.empty()) return std::nullopt;
  try {
    return YAML::Load(req.body);
  } catch (const YAML::Exception &) {
    return std::nullopt;
  }
}

YAML::Node field(const YAML::Node &node, std::initializer_list<const char *> path) {
  YAML::Node current;
  current.reset(node);  // rebinds; operator= would overwrite the node's content
  for (const char *key : path) {
    const YAML::Node &at = current;  // const indexing never inserts the key
    if (!at || !at.IsMap() || !at[key]) return YAML::Node(YAML::NodeType::Undefined);
    current.reset(at[key]);
  }
  return current;
}

std::string now_micro() {
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  std::tm tm{};
  const std::time_t secs = tv.tv_sec;
  gmtime_r(&secs, &tm);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char micro[16];
  std::snprintf(micro, sizeof micro, ".%06ldZ", static_cast<long>(tv.tv_usec));
  return std::string(buf, n) + micro;
}

std::string now_seconds() {
  const std::string micro = now_micro();
  return micro.substr(0, micro.find('.')) + "Z";
}

Response method_not_allowed(const Request &req) {
  return status_error(405, "MethodNotAllowed", "the server does not allow this method on the requested resource (" +
                                                   req.method + " " + req.path + ")");
}

}  // namespace kuphost::sandbox::apiserver
