#include "tables.h"

#include <ctime>

namespace kuphost::sandbox::apiserver {
namespace {

Json column(const char *name, const char *description, int priority) {
  Json c = Json::object();
  c.set("name", name);
  c.set("type", "string");
  c.set("format", std::string(name) == "Name" ? "name" : "");
  c.set("description", description);
  c.set("priority", priority);
  return c;
}

// apimachinery's duration.HumanDuration, to the precision kubectl shows.
std::string human_age(const std::string &created_at) {
  std::tm tm{};
  if (!strptime(created_at.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return "<unknown>";
  const long long s = static_cast<long long>(std::time(nullptr) - timegm(&tm));
  if (s < 0) return "<invalid>";
  if (s < 120) return std::to_string(s) + "s";
  const long long m = s / 60;
  if (m < 10) return std::to_string(m) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  if (m < 180) return std::to_string(m) + "m";
  const long long h = m / 60;
  if (h < 48) return std::to_string(h) + "h";
  return std::to_string(h / 24) + "d";
}

std::string text_at(const Json &object, std::initializer_list<const char *> path) {
  const Json *at = &object;
  for (const char *key : path)
    if (!(at = at->find(key))) return "";
  return at->as_string() ? *at->as_string() : "";
}

}  // namespace

bool wants_table(const Request &req) { return req.accept.find("as=Table") != std::string::npos; }

Json node_table_json(const detail::ClusterState &state, const std::vector<Json> &items) {
  Json table = Json::object();
  table.set("kind", "Table");
  table.set("apiVersion", "meta.k8s.io/v1");
  Json meta = Json::object();
  meta.set("resourceVersion", std::to_string(state.resource_version));
  table.set("metadata", std::move(meta));
  Json columns = Json::array();
  columns.push(column("Name", "Name must be unique within a namespace.", 0));
  columns.push(column("Status", "The status of the node", 0));
  columns.push(column("Roles", "The roles of the node", 0));
  columns.push(column("Age", "CreationTimestamp of the node", 0));
  columns.push(column("Version", "Kubelet Version reported by the node.", 0));
  columns.push(column("Internal-IP", "List of internal IPs of the node.", 1));
  columns.push(column("External-IP", "List of external IPs of the node.", 1));
  columns.push(column("OS-Image", "OS image reported by the node.", 1));
  columns.push(column("Kernel-Version", "Kernel version reported by the node.", 1));
  columns.push(column("Container-Runtime", "Container runtime and version reported by the node.", 1));
  table.set("columnDefinitions", std::move(columns));

  Json rows = Json::array();
  for (const auto &item : items) {
    const std::string name = text_at(item, {"metadata", "name"});
    const detail::ClusterNode *node = state.find(name);
    if (!node) continue;
    std::string status = node->ready ? "Ready" : "NotReady";
    if (node->unschedulable) status += ",SchedulingDisabled";
    Json cells = Json::array();
    cells.push(name);
    cells.push(status);
    cells.push(node->is_control_plane() ? "control-plane" : "<none>");
    cells.push(human_age(node->created_at));
    cells.push(node->kubelet_version);
    cells.push(node->address);
    cells.push("<none>");
    cells.push(node->os_image);
    cells.push(node->kernel_version);
    cells.push(text_at(item, {"status", "nodeInfo", "containerRuntimeVersion"}));
    Json object = Json::object();
    object.set("kind", "PartialObjectMetadata");
    object.set("apiVersion", "meta.k8s.io/v1");
    if (const Json *m = item.find("metadata")) object.set("metadata", *m);
    Json row = Json::object();
    row.set("cells", std::move(cells));
    row.set("object", std::move(object));
    rows.push(std::move(row));
  }
  table.set("rows", std::move(rows));
  return table;
}

}  // namespace kuphost::sandbox::apiserver
