// Windows services kubelet and kube-proxy (node.yaml `units`; active is
// Running): Get-Service, Stop-Service, Start-Service. Starting the kubelet
// runs the version of C:\k\kubelet.exe: the Node reports it and turns Ready,
// as systemctl restart kubelet does on Linux nodes.
#include "cluster_scheduling.h"
#include "cluster_state.h"
#include "fs_util.h"
#include "node_state.h"
#include "powershell_session.h"
#include "version.h"
#include "windows_binaries.h"

namespace kuphost::sandbox::sim::ps {
namespace {

std::string no_service(const std::string &name) { return "Cannot find any service with service name '" + name + "'."; }

void sync_kubelet_to_cluster(Session &s, bool running, const std::string &version) {
  detail::update_cluster(s.inv.sandbox_dir, [&](detail::ClusterState &state) {
    detail::ClusterNode *n = state.find(s.inv.node_name);
    if (!n) return false;
    n->ready = running && !n->kubelet_never_ready_at(version);
    if (running) {
      n->kubelet_version = detail::KubeVersion::parse(version)->str();
      detail::schedule_pending(state);
    }
    return true;
  });
}

void stop_service(Session &s, const std::string &name) {
  bool found = false, stopped = false;
  detail::update_node_state(s.inv.root, [&](detail::NodeState &node) {
    const auto it = node.units.find(name);
    if (it == node.units.end()) return false;
    found = true;
    stopped = it->second.state == "active";
    it->second.state = "inactive";
    return stopped;
  });
  if (!found) return s.error("Stop-Service", no_service(name));
  if (stopped && name == "kubelet") sync_kubelet_to_cluster(s, false, "");
}

void start_service(Session &s, const std::string &name) {
  // The service's binary decides the version; a missing or foreign file does not start.
  const auto binary = detail::read_file_if_exists(s.inv.root / "C/k" / (name + ".exe"));
  const auto version = binary ? detail::windows_binary_version(*binary) : std::nullopt;
  bool found = false, started = false, failed = false;
  detail::update_node_state(s.inv.root, [&](detail::NodeState &node) {
    const auto it = node.units.find(name);
    if (it == node.units.end()) return false;
    found = true;
    if (it->second.state == "active") return false;  // already running: nothing restarts
    if (it->second.fail_on_start || !version) {
      failed = true;
      return false;
    }
    it->second.state = "active";
    if (name == "kubelet") node.running_kubelet_version = version->plain();
    started = true;
    return true;
  });
  if (!found) return s.error("Start-Service", no_service(name));
  if (failed)
    return s.error("Start-Service", "Service '" + name + " (" + name + ")' cannot be started due to the following error: "
                                    "Cannot start service " + name + " on computer '.'.");
  if (started && name == "kubelet") sync_kubelet_to_cluster(s, true, version->str());
}

}  // namespace

std::optional<Action> parse_service_statement(const std::string &line) {
  static const std::regex change = pattern(R"((Stop-Service|Start-Service)\s+-Name\s+R_NAME)");
  std::smatch m;
  if (!matches(line, change, m)) return std::nullopt;
  const bool stop = lower(m[1].str()) == "stop-service";
  return [stop, name = lower(name_of(m, 2))](Session &s) { stop ? stop_service(s, name) : start_service(s, name); };
}

std::optional<Value> parse_service_value(const std::string &text) {
  static const std::regex status = pattern(R"(\(Get-Service\s+-Name\s+R_NAME\)\.Status)");
  static const std::regex exists = pattern(R"(\[bool\]\(Get-Service\s+-Name\s+R_NAME\s+-ErrorAction\s+SilentlyContinue\))");
  std::smatch m;
  if (matches(text, status, m)) {
    return [name = lower(name_of(m, 1))](Session &s) -> std::string {
      const auto node = detail::read_node_state(s.inv.root);
      const auto it = node.units.find(name);
      if (it == node.units.end()) {
        s.error("Get-Service", no_service(name));
        return "";
      }
      return it->second.state == "active" ? "Running" : "Stopped";
    };
  }
  if (matches(text, exists, m)) {
    return [name = lower(name_of(m, 1))](Session &s) -> std::string {
      return detail::read_node_state(s.inv.root).units.count(name) ? "True" : "False";
    };
  }
  return std::nullopt;
}

}  // namespace kuphost::sandbox::sim::ps
