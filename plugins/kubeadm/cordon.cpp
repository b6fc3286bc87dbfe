// drain and uncordon. Tools that uncordon every node they touched undo an
// operator's own cordon (peers.md pain point 15), so drain records whether
// the node was already cordoned before kuphost came, in the run's journal,
// and only a cordon kuphost made is ever lifted, by uncordon or by rollback.
#include <algorithm>
#include <cstdint>

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
  call.out(command_line(k.argv({"drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
                                "--timeout=" + go_duration(settings_.drain_timeout_ms)})));
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
  host_.run(k.argv({"drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
                    "--timeout=" + go_duration(settings_.drain_timeout_ms)}),
            change_options(with_grace(settings_.drain_timeout_ms)));
  const std::string note = cordoned_before ? " (already cordoned by the operator; it stays so)" : "";
  changed(call, "drained " + node + note, "would drain " + node + note);
}

void KubeadmPlugin::rollback_drain(const kup::Call &call) {
  const Kubectl k = kubectl();
  const std::string node = node_name();
  const auto recorded = host_.shared_state_get(kCordonedBeforeKey);
  if (!recorded) {
    call.out("nothing to roll back: the drain did not start");
    return;
  }
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
