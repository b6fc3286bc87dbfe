// kubectl cordon / uncordon / drain against cluster.yaml, with kubectl's
// messages: what it prints, what it refuses and what it leaves cordoned.
#include <ostream>

#include "kubectl.h"
#include "scheduling.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::ClusterNode;
using detail::ClusterState;
using detail::Pod;

std::string dry_run_suffix(const ParsedFlags &flags) {
  if (!flags.has("dry-run") || flags.get("dry-run") == "none" || flags.get("dry-run") == "false") return "";
  return flags.get("dry-run") == "server" ? " (server dry run)" : " (dry run)";
}

std::string join(const std::vector<std::string> &items) {
  std::string out;
  for (const auto &i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// Sorts a node's pods the way kubectl's drain filters do.
struct DrainPlan {
  std::vector<const Pod *> evict;
  std::vector<std::string> daemonset_warnings;
  std::vector<std::string> errors;
};

DrainPlan plan_drain(const ClusterNode &node, const ParsedFlags &flags) {
  DrainPlan plan;
  const bool ignore_ds = flags.has("ignore-daemonsets") && flags.get("ignore-daemonsets") != "false";
  const bool delete_emptydir = (flags.has("delete-emptydir-data") && flags.get("delete-emptydir-data") != "false") ||
                               (flags.has("delete-local-data") && flags.get("delete-local-data") != "false");
  std::vector<std::string> daemonset_pods, local_storage_pods;
  for (const auto &pod : node.pods) {
    const std::string id = pod.ns + "/" + pod.name;
    if (pod.owner_kind == "Node") continue;  // mirror pods of static Pods are skipped silently
    if (pod.owner_kind == "DaemonSet") {
      daemonset_pods.push_back(id);
      continue;
    }
    if (pod.empty_dir && !delete_emptydir) {
      local_storage_pods.push_back(id);
      continue;
    }
    plan.evict.push_back(&pod);
  }
  if (!daemonset_pods.empty()) {
    if (ignore_ds)
      plan.daemonset_warnings = daemonset_pods;
    else
      plan.errors.push_back("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " +
                            join(daemonset_pods));
  }
  if (!local_storage_pods.empty())
    plan.errors.push_back("cannot delete Pods with local storage (use --delete-emptydir-data to override): " +
                          join(local_storage_pods));
  return plan;
}

}  // namespace

int kubectl_cordon(Invocation &inv, const ParsedFlags &flags, bool cordon) {
  if (flags.positionals.empty()) return kubectl_fail(inv, "resource(s) were provided, but no name was specified");
  const std::string suffix = dry_run_suffix(flags);
  int code = 0;
  detail::update_cluster(inv.sandbox_dir, [&](ClusterState &state) {
    bool changed = false;
    for (const auto &name : flags.positionals) {
      ClusterNode *node = state.find(name);
      if (!node) {
        code = node_not_found(inv, name);
        continue;
      }
      const char *verb = cordon ? "cordoned" : "uncordoned";
      if (node->unschedulable == cordon) {
        inv.out << "node/" << name << " already " << verb << suffix << "\n";
        continue;
      }
      if (suffix.empty()) {
        node->unschedulable = cordon;
        changed = true;
      }
      inv.out << "node/" << name << " " << verb << suffix << "\n";
    }
    if (changed && !cordon) schedule_pending(state);
    return changed;
  });
  return code;
}

int kubectl_drain(Invocation &inv, const ParsedFlags &flags) {
  if (flags.positionals.size() != 1)
    return kubectl_fail(inv, "USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples");
  const std::string name = flags.positionals[0];
  const std::string suffix = dry_run_suffix(flags);
  int code = 0;
  detail::update_cluster(inv.sandbox_dir, [&](ClusterState &state) {
    ClusterNode *node = state.find(name);
    if (!node) {
      code = node_not_found(inv, name);
      return false;
    }
    const bool was_cordoned = node->unschedulable;
    if (suffix.empty()) node->unschedulable = true;
    inv.out << "node/" << name << (was_cordoned ? " already cordoned" : " cordoned") << suffix << "\n";

    const DrainPlan plan = plan_drain(*node, flags);
    if (!plan.errors.empty()) {
      const std::string error =
          plan.errors.size() == 1 ? plan.errors[0] : "[" + join(plan.errors) + "]";
      inv.err << "error: unable to drain node \"" << name << "\" due to error:" << error
              << ", continuing command...\nThere are pending nodes to be drained:\n " << name << "\n";
      code = kubectl_fail(inv, error);
      return suffix.empty() && !was_cordoned;  // kubectl leaves the node cordoned
    }
    if (!plan.daemonset_warnings.empty())
      inv.err << "Warning: ignoring DaemonSet-managed Pods: " << join(plan.daemonset_warnings) << "\n";
    std::vector<std::string> evicted;
    for (const Pod *pod : plan.evict) {
      inv.out << "evicting pod " << pod->ns << "/" << pod->name << suffix << "\n";
      evicted.push_back(pod->name);
    }
    for (const auto &pod : evicted) {
      if (suffix.empty()) evict_pod(state, name, pod);
      inv.out << "pod/" << pod << " evicted" << suffix << "\n";
    }
    inv.out << "node/" << name << " drained" << suffix << "\n";
    return suffix.empty();
  });
  return code;
}

}  // namespace kuphost::sandbox::sim
