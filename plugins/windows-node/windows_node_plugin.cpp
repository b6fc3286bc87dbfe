// windows-node: Windows workers, driven over SSH with PowerShell, in the
// order of the "Upgrading Windows nodes" page. kubeadm's Linux-only node
// phases leave these nodes to this plugin; its preflight, uncordon and
// verify still run. The steps are planned here; running them is the
// "windows-node" issue.
#include <kuphost/kuphost.hpp>

#include "support/not_implemented.hpp"
#include "support/settings.hpp"
#include "windows_steps.h"

namespace kuphost_plugins::windows_node {

class WindowsNodePlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    using P = WindowsNodePlugin;
    info.description = "Windows workers driven over SSH with PowerShell";
    auto phase = [](std::string id, std::string title, std::string description, kup_stage stage) {
      kup::PhaseSpec p;
      p.id = std::move(id);
      p.title = std::move(title);
      p.description = std::move(description);
      p.stage = stage;
      p.distro_families = KUP_DISTRO_WINDOWS;
      p.roles = KUP_ROLE_WORKER;
      return p;
    };
    auto kubeadm_binary = phase("kubeadm-binary", "Download kubeadm.exe",
                                "Windows has no packages: kubeadm.exe of the target comes from dl.k8s.io, "
                                "checked against its .sha256.",
                                KUP_STAGE_KUBEADM_PACKAGE);
    kubeadm_binary.plan = kup::phase<&P::plan_kubeadm_binary>();
    kubeadm_binary.apply = kup::phase<&P::apply_kubeadm_binary>();
    auto drain = phase("drain", "Drain the Windows node",
                       "The Windows procedure drains before kubeadm upgrade node, from the admin machine.",
                       KUP_STAGE_CONTROL_PLANE);
    drain.before = {"windows-node/upgrade-node"};
    drain.plan = kup::phase<&P::plan_drain>();
    drain.apply = kup::phase<&P::apply_drain>();
    auto upgrade_node =
        phase("upgrade-node", "kubeadm upgrade node on Windows",
              "Syncs the node's kubelet configuration with the upgraded cluster.", KUP_STAGE_CONTROL_PLANE);
    upgrade_node.plan = kup::phase<&P::plan_upgrade_node>();
    upgrade_node.apply = kup::phase<&P::apply_upgrade_node>();
    auto binaries = phase("binaries", "Replace kubelet.exe and kube-proxy.exe",
                          "The kubelet and kube-proxy binaries are replaced by hand on Windows.",
                          KUP_STAGE_NODE_PACKAGES);
    binaries.plan = kup::phase<&P::plan_binaries>();
    binaries.apply = kup::phase<&P::apply_binaries>();
    auto kubelet_restart =
        phase("kubelet-restart", "Start the Windows services",
              "The new binaries run only once the kubelet and kube-proxy services start again.",
              KUP_STAGE_KUBELET_RESTART);
    kubelet_restart.plan = kup::phase<&P::plan_kubelet_restart>();
    kubelet_restart.apply = kup::phase<&P::apply_kubelet_restart>();
    info.phases = {kubeadm_binary, drain, upgrade_node, binaries, kubelet_restart};
    info.config_keys = {
        {"ssh-host", KUP_CONFIG_STRING, "",
         "Host name or address to reach the node over SSH; unset uses the node name."},
        {"ssh-user", KUP_CONFIG_STRING, "", "SSH user on the node; unset uses ssh's own default."},
        {"ssh-key", KUP_CONFIG_STRING, "", "Private key file for SSH; unset uses ssh's own default."},
        {"binaries-from", KUP_CONFIG_STRING, "",
         "Base URL to download Windows binaries from instead of https://dl.k8s.io (same layout)."},
    };
  }

  explicit WindowsNodePlugin(kup::Host host) : host_(host) {
    const Settings config(host_, "windows-node");
    settings_.node_name = host_.fact("node.name").value_or("localhost");
    settings_.ssh_host = config.text("ssh-host");
    settings_.ssh_user = config.text("ssh-user");
    settings_.ssh_key = config.text("ssh-key");
    settings_.binaries_from = config.text("binaries-from");
  }

  void plan_kubeadm_binary(const kup::Call &call) { show(call, steps(call).kubeadm_binary()); }
  void apply_kubeadm_binary(const kup::Call &call) { refuse(call, steps(call).kubeadm_binary()); }
  void plan_drain(const kup::Call &call) { show(call, steps(call).drain()); }
  void apply_drain(const kup::Call &call) { refuse(call, steps(call).drain()); }
  void plan_upgrade_node(const kup::Call &call) { show(call, steps(call).upgrade_node()); }
  void apply_upgrade_node(const kup::Call &call) { refuse(call, steps(call).upgrade_node()); }
  void plan_binaries(const kup::Call &call) { show(call, steps(call).binaries()); }
  void apply_binaries(const kup::Call &call) { refuse(call, steps(call).binaries()); }
  void plan_kubelet_restart(const kup::Call &call) { show(call, steps(call).kubelet_restart()); }
  void apply_kubelet_restart(const kup::Call &call) { refuse(call, steps(call).kubelet_restart()); }

 private:
  WindowsSteps steps(const kup::Call &call) const {
    const std::string target(call.target_version().empty() ? "vX.Y.Z" : call.target_version());
    return WindowsSteps(settings_, target);
  }
  static void show(const kup::Call &call, const std::vector<std::string> &steps) {
    for (const auto &step : steps) call.out(step);
  }
  static void refuse(const kup::Call &call, const std::vector<std::string> &steps) {
    echo_steps_or_refuse(call, "windows-node", steps);
  }

  kup::Host host_;
  WindowsSettings settings_;
};

}  // namespace kuphost_plugins::windows_node

KUPHOST_PLUGIN(kuphost_plugins::windows_node::WindowsNodePlugin, "windows-node", KUPHOST_PLUGINS_RELEASE)
