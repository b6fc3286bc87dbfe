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

}  // namespace

std::vector<std::string> KubeadmPlugin::upgrade_flags() const {
  std::vector<std::string> flags;
  if (!settings_.etcd_upgrade) flags.push_back("--etcd-upgrade=false");
  if (!settings_.certificate_renewal) flags.push_back("--certificate-renewal=false");
  if (!settings_.patches.empty()) {
    flags.push_back("--patches");
    flags.push_back(settings_.patches);
  }
  return flags;
}

void KubeadmPlugin::plan_upgrade_apply(const kup::Call &call) {
  const std::string target(call.target_version().empty() ? "<version>" : call.target_version());
  const auto current = fact_version("k8s.control_plane.version");
  if (current && current->str() == target) {
    call.out("control plane already at " + target + ": nothing to do");
    return;
  }
  std::vector<std::string> apply{"kubeadm", "upgrade", "apply", target, "--yes"};
  for (auto &flag : upgrade_flags()) apply.push_back(flag);
  // Without a target the placeholder is shown as is, not shell-quoted.
  auto show = [&](const std::vector<std::string> &argv) {
    return call.target_version().empty() ? join(argv, " ") : command_line(argv);
  };
  call.out(show({"kubeadm", "upgrade", "plan", target}));
  call.out(show(apply));
}

void KubeadmPlugin::apply_upgrade_apply(const kup::Call &call) {
  const KubeVersion target = require_target(call);
  const auto current = fact_version("k8s.control_plane.version");
  if (current && *current == target) {
    call.unchanged("control plane already at " + target.str());
    return;
  }
  // `kubeadm upgrade plan` only reads, and fails early on an unhealthy
  // cluster or a version kubeadm refuses. A dry run has not upgraded
  // kubeadm, and an older kubeadm rejects a newer target, so there it is
  // asked only when it is already at the target.
  const std::vector<std::string> plan{"kubeadm", "upgrade", "plan", target.str()};
  const auto kubeadm = fact_version("k8s.kubeadm.version");
  if (call.dry_run() && !(kubeadm && *kubeadm == target)) {
    call.out("would run " + command_line(plan) + " once kubeadm is at " + target.str() + " (it is " +
             (kubeadm ? kubeadm->str() : std::string("unknown")) + " now)");
  } else {
    kup::ExecOptions read;
    read.read_only = true;
    read.stream = true;
    read.timeout_ms = 5 * 60 * 1000;
    host_.run(plan, read);
  }
  std::vector<std::string> apply{"kubeadm", "upgrade", "apply", target.str(), "--yes"};
  for (auto &flag : upgrade_flags()) apply.push_back(flag);
  kup::ExecOptions change;
  change.stream = true;
  change.timeout_ms = kUpgradeTimeoutMs;
  host_.run(apply, change);
  call.changed("control plane " + (current ? current->str() : std::string("?")) + " -> " + target.str());
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
