// preflight: the checks that must pass before kuphost changes anything.
// Plan runs the same checks (they only read), so a plan already fails on a
// skipped minor instead of leaving that to the apply.
#include "kubeadm_plugin.h"

namespace kuphost_plugins::kubeadm {

void KubeadmPlugin::plan_preflight(const kup::Call &call) { check_preflight(call, /*planning=*/true); }

void KubeadmPlugin::apply_preflight(const kup::Call &call) { check_preflight(call, /*planning=*/false); }

void KubeadmPlugin::check_preflight(const kup::Call &call, bool planning) {
  const std::string node = node_name();
  int passed = 0;
  auto pass = [&](const std::string &what) {
    call.out((planning ? "check: " : "ok: ") + what);
    ++passed;
  };

  // Windows workers are probed by windows-node, not by the host's facts.
  if (!is_windows()) {
    const auto kubeadm = host_.fact("k8s.kubeadm.version");
    if (!kubeadm)
      throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                       "kubeadm is not installed on " + node +
                           " (`kubeadm version` gave no version); install the kubeadm package the "
                           "cluster was created with, then run kuphost again");
    pass("kubeadm is installed (" + *kubeadm + ")");
  }

  if (is_control_plane()) {
    if (!host_.stat(kAdminConf).exists())
      throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                       std::string(kAdminConf) + " is missing on control-plane node " + node +
                           "; kubeadm upgrade needs the admin kubeconfig: copy it from the first "
                           "control plane");
    pass(std::string(kAdminConf) + " is present");
  }

  if (planning && call.target_version().empty()) {
    call.out("check: the target version and the version skew (needs a target version)");
    return;
  }
  const KubeVersion target = require_target(call);
  pass("target " + target.str() + " is a valid version");

  const char *fact = is_control_plane() ? "k8s.control_plane.version" : "k8s.kubelet.version";
  const std::string what = is_control_plane() ? "control plane" : "kubelet";
  const auto current = fact_version(fact);
  if (!current) {
    if (is_windows()) {
      call.out("skipped: the kubelet version of a Windows worker is not probed here; windows-node checks it");
    } else {
      throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                       is_control_plane()
                           ? "cannot tell the control-plane version of " + node +
                                 ": no readable image tag in /etc/kubernetes/manifests/kube-apiserver.yaml"
                           : "cannot tell the kubelet version of " + node +
                                 ": `kubelet --version` gave no version; is the kubelet installed?");
    }
  } else {
    const std::string step = what + " " + current->str() + " -> " + target.str();
    if (target.major != current->major)
      throw kup::Error(KUP_E_INVALID_ARGUMENT,
                       "cannot go from " + current->str() + " to " + target.str() +
                           ": kuphost only upgrades within Kubernetes major version " +
                           std::to_string(current->major));
    if (target.minor > current->minor + 1) {
      KubeVersion next = *current;
      ++next.minor;
      throw kup::Error(KUP_E_INVALID_ARGUMENT,
                       "cannot upgrade the " + what + " of " + node + " from " + current->str() + " to " +
                           target.str() + ": Kubernetes upgrades one minor version at a time; upgrade to " +
                           next.minor_line() + " first");
    }
    if (target.minor + 1 < current->minor)
      throw kup::Error(KUP_E_INVALID_ARGUMENT,
                       "cannot go from " + current->str() + " to " + target.str() + " on " + node +
                           ": a downgrade of more than one minor version is not supported; choose a "
                           "target no older than " +
                           KubeVersion{current->major, current->minor - 1, 0, ""}.minor_line());
    pass(*current == target ? what + " already at " + target.str() : step + ": no minor version skipped");
  }
  if (!planning) call.unchanged(std::to_string(passed) + (passed == 1 ? " check passed" : " checks passed"));
}

}  // namespace kuphost_plugins::kubeadm
