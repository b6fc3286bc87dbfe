// upgrade-apply and upgrade-node: kubeadm itself upgrades the static pods,
// etcd and the kubelet configuration, and rolls its own manifests back when
// a component does not come up. There is no kuphost rollback for either:
// after a successful `kubeadm upgrade`, Kubernetes supports no way back
// except restoring the backups the backup stage took.
#include "kubeadm_plugin.h"
#include "support/text.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

// kubeadm waits up to 5 minutes per component (UpgradeManifestTimeout), and
// etcd plus three components run one after the other.
constexpr uint32_t kUpgradeTimeoutMs = 15 * 60 * 1000;

// The rows of `kubeadm upgrade plan`'s component-config table whose
// MANUAL UPGRADE REQUIRED column says yes: "kubeproxy.config.k8s.io v1alpha1 -> v1alpha2".
std::vector<std::string> configs_needing_manual_upgrade(std::string_view plan_output) {
  std::vector<std::string> found;
  bool in_table = false;
  for (const auto &line : lines_of(plan_output)) {
    const auto cols = words_of(line);
    if (cols.size() >= 4 && cols[0] == "API" && cols[1] == "GROUP") {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (cols.size() < 4) {
      if (!cols.empty()) in_table = false;
      continue;
    }
    if (cols[3] == "yes") found.push_back(cols[0] + " " + cols[1] + " -> " + cols[2]);
  }
  return found;
}

bool renewal_left_to_certs(const kup::Host &host) {
  const std::string phases = "," + host.fact("run.phases").value_or("") + ",";
  return phases.find(",certs/renew,") != std::string::npos;
}

}  // namespace

std::vector<std::string> KubeadmPlugin::upgrade_flags() const {
  std::vector<std::string> flags;
  if (!settings_.etcd_upgrade) flags.push_back("--etcd-upgrade=false");
  // Two owners of renewal would renew twice with different lifetimes; when
  // the certs plugin runs, it alone renews.
  if (!settings_.certificate_renewal || renewal_left_to_certs(host_)) flags.push_back("--certificate-renewal=false");
  if (!settings_.patches.empty()) {
    flags.push_back("--patches");
    flags.push_back(settings_.patches);
  }
  return flags;
}

// kubeadm applies the same pre-release gates as kuphost; pass the operator's
// permission on, or kubeadm refuses what kuphost allowed.
std::vector<std::string> KubeadmPlugin::pre_release_flags() const {
  std::vector<std::string> flags;
  if (host_.fact("run.allow-experimental-upgrades") == "true") flags.push_back("--allow-experimental-upgrades");
  if (host_.fact("run.allow-release-candidate-upgrades") == "true")
    flags.push_back("--allow-release-candidate-upgrades");
  return flags;
}

std::vector<std::string> KubeadmPlugin::apply_argv(const std::string &target, bool force) const {
  std::vector<std::string> apply{"kubeadm", "upgrade", "apply", target, "--yes"};
  if (force) apply.push_back("--force");
  for (auto &flag : pre_release_flags()) apply.push_back(flag);
  if (!settings_.upgrade_config.empty()) {
    apply.push_back("--config");
    apply.push_back(settings_.upgrade_config);
  }
  for (auto &flag : upgrade_flags()) apply.push_back(flag);
  return apply;
}

void KubeadmPlugin::plan_upgrade_apply(const kup::Call &call) {
  const std::string target(call.target_version().empty() ? "<version>" : call.target_version());
  const auto current = fact_version("k8s.control_plane.version");
  const bool repair = call.force() && current && current->str() == target;
  if (current && current->str() == target && !repair) {
    call.out("control plane already at " + target + ": nothing to do (--force re-applies it to repair a bad state)");
    return;
  }
  const auto apply = apply_argv(target, call.force());
  // Without a target the placeholder is shown as is, not shell-quoted.
  auto show = [&](const std::vector<std::string> &argv) {
    return call.target_version().empty() ? join(argv, " ") : command_line(argv);
  };
  std::vector<std::string> plan{"kubeadm", "upgrade", "plan", target};
  for (auto &flag : pre_release_flags()) plan.push_back(flag);
  call.out(show(plan));
  call.out("stop if the plan lists component configs that need a manual upgrade" +
           std::string(settings_.upgrade_config.empty() ? "" : " and kubeadm.upgrade-config does not replace them"));
  if (repair) call.out("the control plane already runs " + target + ": --force re-applies it to repair a bad state");
  call.out(show(apply));
}

void KubeadmPlugin::apply_upgrade_apply(const kup::Call &call) {
  const KubeVersion target = require_target(call);
  const auto current = fact_version("k8s.control_plane.version");
  const bool repair = call.force() && current && *current == target;
  if (current && *current == target && !repair) {
    call.unchanged("control plane already at " + target.str());
    return;
  }
  // `kubeadm upgrade plan` only reads, and fails early on an unhealthy
  // cluster or a version kubeadm refuses. A dry run has not upgraded
  // kubeadm, and an older kubeadm rejects a newer target, so there it is
  // asked only when it is already at the target.
  std::vector<std::string> plan{"kubeadm", "upgrade", "plan", target.str()};
  for (auto &flag : pre_release_flags()) plan.push_back(flag);
  const auto kubeadm = fact_version("k8s.kubeadm.version");
  if (call.dry_run() && !(kubeadm && *kubeadm == target)) {
    call.out("would run " + command_line(plan) + " once kubeadm is at " + target.str() + " (it is " +
             (kubeadm ? kubeadm->str() : std::string("unknown")) + " now)");
  } else {
    kup::ExecOptions read;
    read.read_only = true;
    read.stream = true;
    read.timeout_ms = 5 * 60 * 1000;
    const auto planned = host_.run(plan, read);
    const auto manual = configs_needing_manual_upgrade(planned.out);
    if (!manual.empty() && settings_.upgrade_config.empty())
      throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                       "kubeadm upgrade plan reports component configs that need a manual upgrade (" +
                           join(manual, ", ") +
                           "); nothing was upgraded: write the upgraded configs into a kubeadm config file and "
                           "set kubeadm.upgrade-config to it, so that kuphost passes it to kubeadm upgrade apply "
                           "--config");
  }
  kup::ExecOptions change;
  change.stream = true;
  change.timeout_ms = kUpgradeTimeoutMs;
  host_.run(apply_argv(target.str(), call.force()), change);
  if (repair) call.changed("control plane " + target.str() + " re-applied with --force");
  else call.changed("control plane " + (current ? current->str() : std::string("?")) + " -> " + target.str());
}

void KubeadmPlugin::plan_upgrade_node(const kup::Call &call) {
  // What tells that this node is done: the control plane it runs, or on a
  // worker the kubelet, which is upgraded only after `kubeadm upgrade node`.
  const char *fact = is_control_plane() ? "k8s.control_plane.version" : "k8s.kubelet.version";
  const auto current = fact_version(fact);
  const auto target = KubeVersion::parse(call.target_version());
  if (current && target && *current == *target) {
    call.out(std::string(is_control_plane() ? "control plane" : "kubelet") + " already at " + target->str() +
             ": nothing to do");
    return;
  }
  std::vector<std::string> argv{"kubeadm", "upgrade", "node"};
  for (auto &flag : upgrade_flags()) argv.push_back(flag);
  call.out(command_line(argv));
}

void KubeadmPlugin::apply_upgrade_node(const kup::Call &call) {
  const KubeVersion target = require_target(call);
  const char *fact = is_control_plane() ? "k8s.control_plane.version" : "k8s.kubelet.version";
  const std::string what = is_control_plane() ? "control plane" : "kubelet";
  const auto current = fact_version(fact);
  if (current && *current == target) {
    call.unchanged(what + " already at " + target.str());
    return;
  }
  std::vector<std::string> argv{"kubeadm", "upgrade", "node"};
  for (auto &flag : upgrade_flags()) argv.push_back(flag);
  kup::ExecOptions change;
  change.stream = true;
  change.timeout_ms = kUpgradeTimeoutMs;
  host_.run(argv, change);
  if (is_control_plane())
    changed(call, "control-plane instance upgraded to " + target.str(),
            "would upgrade the control-plane instance to " + target.str());
  else
    changed(call, "kubelet configuration upgraded for " + target.str(),
            "would upgrade the kubelet configuration for " + target.str());
}

}  // namespace kuphost_plugins::kubeadm
