// drain and uncordon. Tools that uncordon every node they touched undo an
// operator's own cordon (peers.md pain point 15), so drain records whether
// the node was already cordoned before kuphost came, in the run's journal,
// and only a cordon kuphost made is ever lifted, by uncordon or by rollback.
#include <algorithm>
#include <cstdint>

#include "drain_output.h"
#include "kubeadm_plugin.h"
#include "support/settings.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

// "true" when the operator had cordoned the node before the drain, "false"
// when kuphost's drain cordoned it; absent when drain never ran here.
// Shared with other plugins that drain (windows-node): kuphost.state/1
// set_shared, the well-known key of kuphost.h.
constexpr std::string_view kCordonedBeforeKey = "node/cordoned-before";

uint32_t with_grace(uint64_t ms) {
  return static_cast<uint32_t>(std::min<uint64_t>(ms + 60 * 1000, UINT32_MAX));
}

kup::ExecOptions change_options(uint32_t timeout_ms) {
  kup::ExecOptions opt;
  opt.stream = true;
  opt.timeout_ms = timeout_ms;
  return opt;
}

}  // namespace

std::vector<std::string> KubeadmPlugin::drain_args(const std::string &node) const {
  std::vector<std::string> args{"drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
                                "--timeout=" + go_duration(settings_.drain_timeout_ms)};
  if (settings_.drain_grace_period_s >= 0)
    args.push_back("--grace-period=" + std::to_string(settings_.drain_grace_period_s));
  return args;
}

void KubeadmPlugin::hold_slot_if_drained(const kup::Call &call) {
  if (call.dry_run() || host_.shared_state_get(kCordonedBeforeKey) == std::nullopt) return;
  slot().acquire();
}

void KubeadmPlugin::plan_drain(const kup::Call &call) {
  const Kubectl k = kubectl();
  const std::string node = node_name();
  const auto target = KubeVersion::parse(call.target_version());
  const auto kubelet = fact_version("k8s.kubelet.version");
  if (target && kubelet && *kubelet == *target) {
    call.out("kubelet already at " + target->str() + ": no drain needed");
    return;
  }
  if (!k.has_admin_rights())
    call.out("note: this worker has no " + std::string(kAdminConf) + ", so the drain uses " + k.kubeconfig() +
             ", whose node credentials usually may not evict pods; if it is refused, drain from a control "
             "plane: kubectl drain " +
             node + " --ignore-daemonsets --delete-emptydir-data");
  if (k.cordoned_if_known(node) == true)
    call.out(node + " is already cordoned (by the operator): it stays cordoned after the upgrade");
  const auto names = slot_names(is_control_plane(), settings_.slots.worker_slots);
  call.out("take an upgrade slot (Lease " + std::string(kSlotNamespace) + "/" + join(names, " or ") +
           ", held until uncordon, " + go_duration(settings_.slots.lease_ms) + " lease)");
  call.out(command_line(k.argv(drain_args(node))));
}

void KubeadmPlugin::apply_drain(const kup::Call &call) {
  const Kubectl k = kubectl();
  const std::string node = node_name();
  const KubeVersion target = require_target(call);
  // Recorded before anything else, and only once: after a crash mid-drain
  // the node is cordoned by kuphost, which must not look like the operator's.
  bool cordoned_before = false;
  if (const auto recorded = host_.shared_state_get(kCordonedBeforeKey)) {
    cordoned_before = *recorded == "true";
  } else {
    cordoned_before = k.cordoned(node);
    host_.shared_state_set(kCordonedBeforeKey, cordoned_before ? "true" : "false");
  }
  const auto kubelet = fact_version("k8s.kubelet.version");
  if (kubelet && *kubelet == target) {
    call.unchanged("kubelet already at " + target.str() + ": no drain needed");
    return;
  }
  if (call.dry_run()) {
    call.out("would take an upgrade slot (" + join(slot_names(is_control_plane(), settings_.slots.worker_slots), " or ") +
             ") before draining");
  } else {
    slot().acquire();
  }
  kup::ExecOptions opt = change_options(with_grace(settings_.drain_timeout_ms));
  opt.check = false;
  const auto r = host_.run(k.argv(drain_args(node)), opt);
  if (r.exit_code != 0) fail_drain(call, k, node, cordoned_before, r.out + "\n" + r.err);
  const std::string note = cordoned_before ? " (already cordoned by the operator; it stays so)" : "";
  changed(call, "drained " + node + note, "would drain " + node + note);
}

// A failed drain is not a completed phase, so no rollback will undo its
// cordon: undo it here, free the slot, and say which pods blocked it.
void KubeadmPlugin::fail_drain(const kup::Call &call, const Kubectl &k, const std::string &node,
                               bool cordoned_before, const std::string &output) {
  (void)call;
  std::string undo;
  if (!cordoned_before) {
    try {
      if (k.cordoned(node)) {
        host_.run(k.argv({"uncordon", node}), change_options(60 * 1000));
        undo = "; " + node + " was uncordoned again";
      }
    } catch (const kup::Error &e) {
      undo = "; uncordoning " + node + " failed too (" + std::string(e.what()) + "): run `kubectl uncordon " +
             node + "`";
    }
  }
  slot().release();
  const auto blocked = pods_drain_could_not_evict(output);
  std::string why = last_line_of(output);
  if (!blocked.empty())
    why = "eviction of " + join(blocked, ", ") +
          " was refused until the timeout (a PodDisruptionBudget allows no disruption; relax it or raise "
          "kubeadm.drain-timeout, then run `kuphost apply` again)";
  throw kup::Error(KUP_E_COMMAND_FAILED, "drain of " + node + " failed: " + why + undo);
}

void KubeadmPlugin::rollback_drain(const kup::Call &call) {
  const Kubectl k = kubectl();
  const std::string node = node_name();
  const auto recorded = host_.shared_state_get(kCordonedBeforeKey);
  if (!recorded) {
    call.out("nothing to roll back: the drain did not start");
    return;
  }
  struct ReleaseSlot {
    UpgradeSlot &slot;
    ~ReleaseSlot() { slot.release(); }
  } release_slot{slot()};
  if (*recorded == "true") {
    call.out(node + " was cordoned before kuphost drained it: it stays cordoned");
    return;
  }
  if (!k.cordoned(node)) {
    call.out(node + " is schedulable already");
    return;
  }
  host_.run(k.argv({"uncordon", node}), change_options(60 * 1000));
  call.out("uncordoned " + node + ", which kuphost had cordoned");
}

void KubeadmPlugin::plan_uncordon(const kup::Call &call) {
  const Kubectl k = kubectl();
  const std::string node = node_name();
  if (k.cordoned_if_known(node) == true)
    call.out("note: " + node + " is cordoned now; kuphost uncordons it only if its own drain cordoned it");
  call.out(command_line(k.argv({"uncordon", node})));
}

void KubeadmPlugin::apply_uncordon(const kup::Call &call) {
  const Kubectl k = kubectl();
  const std::string node = node_name();
  const auto recorded = host_.shared_state_get(kCordonedBeforeKey);
  // Whatever happens to the cordon, the node is done with its slot; a
  // resumed run frees the one its crashed predecessor held.
  struct ReleaseSlot {
    KubeadmPlugin &plugin;
    bool dry_run;
    ~ReleaseSlot() {
      if (!dry_run) plugin.slot().release();
    }
  } release_slot{*this, call.dry_run()};
  if (recorded == "true") {
    call.out(node + " was cordoned before the upgrade; leaving it cordoned (run `kubectl uncordon " + node +
             "` when you are ready)");
    call.unchanged(node + " stays cordoned: the operator had cordoned it");
    return;
  }
  // A dry run's drain cordoned nothing, so there the record alone decides.
  if (!(call.dry_run() && recorded) && !k.cordoned(node)) {
    call.unchanged(node + " is schedulable");
    return;
  }
  if (!recorded) {
    host_.warn(node +
               " is cordoned, but kuphost's drain did not cordon it in this run; leaving it cordoned "
               "(run `kubectl uncordon " +
               node + "` when you are ready)");
    call.unchanged(node + " stays cordoned: kuphost did not cordon it");
    return;
  }
  host_.run(k.argv({"uncordon", node}), change_options(60 * 1000));
  changed(call, "uncordoned " + node, "would uncordon " + node);
}

}  // namespace kuphost_plugins::kubeadm
