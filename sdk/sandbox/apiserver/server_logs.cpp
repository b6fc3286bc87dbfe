#include "server_logs.h"

#include "fs_util.h"
#include "handlers.h"
#include "json_writer.h"

namespace kuphost::sandbox::apiserver {

ServerLogs::ServerLogs(const std::filesystem::path &sandbox_dir)
    : audit_(sandbox_dir / "cluster" / "apiserver-audit.log"), cordons_(sandbox_dir / "cluster" / "cordon-history.log") {}

std::string verb_of(const Request &req) {
  if (req.method == "POST") return "create";
  if (req.method == "PUT") return "update";
  if (req.method == "PATCH") return "patch";
  if (req.method == "DELETE") return "delete";
  if (req.method != "GET") return req.method;
  if (req.query.count("watch") && req.query.at("watch") == "true") return "watch";
  // A collection's path ends with its plural resource name: an even number
  // of segments after /api/v1 or /apis/G/V (namespaces/NS/pods, nodes).
  std::string p = req.path;
  size_t segments = 0;
  for (char c : p) segments += c == '/';
  const size_t base = p.starts_with("/apis/") ? 3 : (p.starts_with("/api/") ? 2 : 0);
  if (base == 0 || segments <= base) return "get";
  const size_t rest = segments - base;
  return rest % 2 == 1 ? "list" : "get";
}

void ServerLogs::request(const Request &req, int code) {
  sim::Json j = sim::Json::object();
  j.set("time", now_micro());
  j.set("user", req.identity.user);
  j.set("userAgent", req.user_agent);
  j.set("verb", verb_of(req));
  j.set("method", req.method);
  j.set("path", req.target);
  j.set("contentType", req.content_type);
  j.set("accept", req.accept);
  j.set("code", code);
  detail::append_line(audit_, j.dump_compact_sorted());
}

void ServerLogs::cordon(const std::string &node, bool cordoned, const std::string &user) {
  sim::Json j = sim::Json::object();
  j.set("time", now_micro());
  j.set("node", node);
  j.set("cordoned", cordoned);
  j.set("unschedulable", cordoned);  // the same, under the field's API name
  j.set("user", user);
  detail::append_line(cordons_, j.dump_compact_sorted());
}

}  // namespace kuphost::sandbox::apiserver
