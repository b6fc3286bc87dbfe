// systemctl against the node's simulated units (node.yaml `units`), with
// systemd 252's messages and exit codes (test-recipes.md §5). Restarting the
// kubelet runs the installed kubelet: the node reports its version and Ready.
#include <ostream>
#include <set>

#include "cluster_state.h"
#include "commands.h"
#include "flags.h"
#include "node_state.h"
#include "cluster_scheduling.h"
#include "version.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::NodeState;
using detail::Unit;

// systemctl's exit codes (LSB for is-active/status).
constexpr int kOk = 0, kFailed = 1, kStatusNotRunning = 3, kStatusUnknownUnit = 4, kUnitNotFound = 5;

std::string unit_key(const std::string &name) {
  return name.size() > 8 && name.ends_with(".service") ? name.substr(0, name.size() - 8) : name;
}
std::string service(const std::string &key) { return key + ".service"; }

std::string sub_state(const Unit &u) {
  if (u.state == "active") return "running";
  return u.state == "failed" ? "failed" : "dead";
}

// Brings the kubelet's view of the node in line with the running kubelet.
void sync_kubelet_to_cluster(const Invocation &inv, const NodeState &node) {
  const Unit &kubelet = node.units.at("kubelet");
  const bool running = kubelet.state == "active";
  const auto version = detail::KubeVersion::parse(node.running_kubelet_version);
  detail::update_cluster(inv.sandbox_dir, [&](detail::ClusterState &state) {
    detail::ClusterNode *n = state.find(inv.node_name);
    if (!n) return false;
    n->ready = running && !n->kubelet_never_ready_at(node.running_kubelet_version);
    if (running && version) n->kubelet_version = version->str();
    if (running) detail::schedule_pending(state);
    return true;
  });
}

// start / restart / stop on one unit; returns the exit code.
int change_state(Invocation &inv, const std::string &verb, const std::string &key) {
  int code = kOk;
  bool kubelet_changed = false;
  NodeState after;
  detail::update_node_state(inv.root, [&](NodeState &node) {
    const auto it = node.units.find(key);
    if (it == node.units.end()) {
      inv.err << "Failed to " << verb << " " << service(key) << ": Unit " << service(key)
              << (verb == "stop" ? " not loaded.\n" : " not found.\n");
      code = kUnitNotFound;
      return false;
    }
    Unit &unit = it->second;
    if (unit.needs_daemon_reload && verb != "stop")
      inv.err << "Warning: The unit file, source configuration file or drop-ins of " << service(key)
              << " changed on disk. Run 'systemctl daemon-reload' to reload units.\n";
    if (verb == "stop") {
      unit.state = "inactive";
    } else if (verb == "start" && unit.state == "active") {
      return false;  // already running: nothing restarts
    } else if (unit.fail_on_start) {
      unit.state = "failed";
      inv.err << "Job for " << service(key)
              << " failed because the control process exited with error code.\nSee \"systemctl status "
              << service(key) << "\" and \"journalctl -xeu " << service(key) << "\" for details.\n";
      code = kFailed;
    } else {
      unit.state = "active";
      if (key == "kubelet") node.running_kubelet_version = node.package("kubelet");
    }
    kubelet_changed = key == "kubelet";
    after = node;
    return true;
  });
  if (kubelet_changed) sync_kubelet_to_cluster(inv, after);
  return code;
}

int daemon_reload(Invocation &inv) {
  detail::update_node_state(inv.root, [](NodeState &node) {
    for (auto &[name, unit] : node.units) unit.needs_daemon_reload = false;
    return true;
  });
  return kOk;
}

int is_active(Invocation &inv, const NodeState &node, const std::vector<std::string> &units, bool quiet,
              const std::string &wanted) {
  bool any = false;
  for (const auto &name : units) {
    const auto it = node.units.find(unit_key(name));
    const std::string state = it == node.units.end() ? "inactive" : it->second.state;
    if (!quiet) inv.out << state << "\n";
    any = any || state == wanted;
  }
  return any ? kOk : (wanted == "active" ? kStatusNotRunning : kFailed);
}

int is_enabled(Invocation &inv, const NodeState &node, const std::vector<std::string> &units, bool quiet) {
  bool any = false;
  for (const auto &name : units) {
    const auto it = node.units.find(unit_key(name));
    if (it == node.units.end()) {
      inv.err << "Failed to get unit file state for " << service(unit_key(name)) << ": No such file or directory\n";
      continue;
    }
    if (!quiet) inv.out << (it->second.enabled ? "enabled" : "disabled") << "\n";
    any = any || it->second.enabled;
  }
  return any ? kOk : kFailed;
}

int set_enabled(Invocation &inv, const std::vector<std::string> &units, bool enable) {
  int code = kOk;
  detail::update_node_state(inv.root, [&](NodeState &node) {
    for (const auto &name : units) {
      const std::string key = unit_key(name);
      const auto it = node.units.find(key);
      if (it == node.units.end()) {
        inv.err << "Failed to " << (enable ? "enable" : "disable") << " unit: Unit file " << service(key)
                << " does not exist.\n";
        code = kFailed;
        continue;
      }
      if (it->second.enabled != enable) {
        const std::string link = "/etc/systemd/system/multi-user.target.wants/" + service(key);
        if (enable)
          inv.err << "Created symlink " << link << " \u2192 /usr/lib/systemd/system/" << service(key) << ".\n";
        else
          inv.err << "Removed \"" << link << "\".\n";
      }
      it->second.enabled = enable;
    }
    return true;
  });
  return code;
}

std::string property(const std::string &key, const Unit *unit, const std::string &name) {
  if (name == "Id") return service(key);
  if (name == "Names") return service(key);
  if (name == "LoadState") return unit ? "loaded" : "not-found";
  if (name == "ActiveState") return unit ? unit->state : "inactive";
  if (name == "SubState") return unit ? sub_state(*unit) : "dead";
  if (name == "UnitFileState") return unit ? (unit->enabled ? "enabled" : "disabled") : "";
  if (name == "MainPID") return unit && unit->state == "active" ? std::to_string(1000 + key.size()) : "0";
  if (name == "NeedDaemonReload") return unit && unit->needs_daemon_reload ? "yes" : "no";
  if (name == "Description") return key == "kubelet" ? "kubelet: The Kubernetes Node Agent" : key;
  return "";
}

int show(Invocation &inv, const NodeState &node, const std::vector<std::string> &units, const std::string &props,
         bool value_only) {
  std::vector<std::string> names;
  for (size_t start = 0; start <= props.size();) {
    const auto comma = props.find(',', start);
    const std::string p = props.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!p.empty()) names.push_back(p);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (names.empty()) names = {"Id", "Names", "Description", "LoadState", "ActiveState", "SubState", "UnitFileState",
                              "MainPID", "NeedDaemonReload"};
  bool first = true;
  for (const auto &name : units) {
    if (!first) inv.out << "\n";  // systemctl separates units with a blank line
    first = false;
    const std::string key = unit_key(name);
    const auto it = node.units.find(key);
    const Unit *unit = it == node.units.end() ? nullptr : &it->second;
    for (const auto &p : names)
      inv.out << (value_only ? "" : p + "=") << property(key, unit, p) << "\n";
  }
  return kOk;
}

int status(Invocation &inv, const NodeState &node, const std::vector<std::string> &units) {
  int code = kOk;
  for (const auto &name : units) {
    const std::string key = unit_key(name);
    const auto it = node.units.find(key);
    if (it == node.units.end()) {
      inv.err << "Unit " << service(key) << " could not be found.\n";
      code = kStatusUnknownUnit;
      continue;
    }
    const Unit &u = it->second;
    const bool active = u.state == "active";
    inv.out << (active ? "\u25cf " : (u.state == "failed" ? "\u00d7 " : "\u25cb ")) << service(key) << " - "
            << property(key, &u, "Description") << "\n"
            << "     Loaded: loaded (/usr/lib/systemd/system/" << service(key) << "; "
            << (u.enabled ? "enabled" : "disabled") << "; preset: enabled)\n"
            << "     Active: " << u.state << " (" << sub_state(u) << ")\n";
    if (active) inv.out << "   Main PID: " << property(key, &u, "MainPID") << " (" << key << ")\n";
    if (!active && code == kOk) code = kStatusNotRunning;
  }
  return code;
}

}  // namespace

int run_systemctl(Invocation &inv) {
  const std::vector<FlagSpec> specs{{"no-pager"},       {"quiet", 'q'},          {"value"},
                                    {"property", 'p', true}, {"now"},           {"no-block"},
                                    {"system"},         {"full", 'l'},           {"no-legend"},
                                    {"plain"},          {"lines", 'n', true},    {"all", 'a'}};
  std::string error;
  auto flags = parse_flags(inv.args, specs, &error);
  if (!flags) {
    inv.err << "systemctl: " << error << "\n";
    return kFailed;
  }
  if (flags->positionals.empty()) {
    inv.err << "systemctl: the kuphost sandbox does not list units; name a verb and a unit\n";
    return kFailed;
  }
  const std::string verb = flags->positionals.front();
  const std::vector<std::string> units(flags->positionals.begin() + 1, flags->positionals.end());
  const bool quiet = flags->has("quiet");
  if (verb == "daemon-reload") return daemon_reload(inv);

  static const std::set<std::string> kUnitVerbs{"start", "stop",      "restart",  "try-restart", "is-active",
                                                "is-failed", "is-enabled", "enable", "disable",     "show",
                                                "status"};
  if (!kUnitVerbs.count(verb)) {
    inv.err << "Unknown command verb '" << verb << "'.\n";
    return kFailed;
  }
  if (units.empty() && verb != "show" && verb != "status") {
    inv.err << "Too few arguments.\n";
    return kFailed;
  }
  if (verb == "start" || verb == "stop" || verb == "restart" || verb == "try-restart") {
    int code = kOk;
    for (const auto &u : units) {
      const std::string effective = verb == "try-restart" ? "restart" : verb;
      if (const int c = change_state(inv, effective, unit_key(u)); c != kOk) code = c;
    }
    return code;
  }
  if (verb == "enable" || verb == "disable") {
    const int code = set_enabled(inv, units, verb == "enable");
    if (code == kOk && flags->has("now"))
      for (const auto &u : units) change_state(inv, verb == "enable" ? "start" : "stop", unit_key(u));
    return code;
  }
  const NodeState node = detail::read_node_state(inv.root);
  if (verb == "is-active") return is_active(inv, node, units, quiet, "active");
  if (verb == "is-failed") return is_active(inv, node, units, quiet, "failed");
  if (verb == "is-enabled") return is_enabled(inv, node, units, quiet);
  if (verb == "show") return show(inv, node, units, flags->get("property"), flags->has("value"));
  return status(inv, node, units);
}

}  // namespace kuphost::sandbox::sim
