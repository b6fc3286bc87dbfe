// windows-node: Windows workers, driven over SSH with PowerShell, in the
// order of the "Upgrading Windows nodes" page (windows_upgrade.h). kubeadm's
// Linux-only node phases leave these nodes to this plugin; its preflight,
// uncordon and verify still run.
#include <kuphost/kuphost.hpp>

#include "remote_shell.h"
#include "support/settings.hpp"
#include "windows_upgrade.h"

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
      p.flags = KUP_PHASE_PLANS_POWERSHELL;  // kuphost plan -o powershell
      return p;
    };
    auto download = phase("stage-binaries", "Stage the Windows binaries",
                          "Windows has no packages: kubeadm.exe, kubelet.exe and kube-proxy.exe of the target are "
                          "staged on the node and checked against their .sha256 before anything changes.",
                          KUP_STAGE_KUBEADM_PACKAGE);
    download.plan = kup::phase<&P::plan>();
    download.apply = kup::phase<&P::apply_download>();
    download.rollback = kup::phase<&P::rollback_download>();
    auto drain = phase("drain", "Drain the Windows node",
                       "The Windows procedure drains before kubeadm upgrade node, from the admin machine.",
                       KUP_STAGE_CONTROL_PLANE);
    drain.before = {"windows-node/upgrade-node"};
    drain.plan = kup::phase<&P::plan>();
    drain.apply = kup::phase<&P::apply_drain>();
    drain.rollback = kup::phase<&P::rollback_drain>();
    auto upgrade_node = phase("upgrade-node", "kubeadm upgrade node on Windows",
                              "Keeps the current binaries, installs the checked kubeadm.exe and syncs the node's "
                              "kubelet configuration with the upgraded cluster.",
                              KUP_STAGE_CONTROL_PLANE);
    upgrade_node.plan = kup::phase<&P::plan>();
    upgrade_node.apply = kup::phase<&P::apply_upgrade_node>();
    upgrade_node.rollback = kup::phase<&P::rollback_upgrade_node>();
    auto binaries = phase("binaries", "Replace kubelet.exe and kube-proxy.exe",
                          "The services stop, and their binaries are replaced with the checked copies.",
                          KUP_STAGE_NODE_PACKAGES);
    binaries.plan = kup::phase<&P::plan>();
    binaries.apply = kup::phase<&P::apply_binaries>();
    binaries.rollback = kup::phase<&P::rollback_binaries>();
    auto restart = phase("kubelet-restart", "Start the Windows services",
                         "The new binaries run once the services start; the node must then be Ready at the target.",
                         KUP_STAGE_KUBELET_RESTART);
    restart.plan = kup::phase<&P::plan>();
    restart.apply = kup::phase<&P::apply_restart>();
    restart.rollback = kup::phase<&P::rollback_binaries>();
    info.phases = {download, drain, upgrade_node, binaries, restart};
    info.config_keys = {
        {"ssh-host", KUP_CONFIG_STRING, "",
         "Host name or address to reach the node over SSH; unset uses the node name."},
        {"ssh-user", KUP_CONFIG_STRING, "", "SSH user on the node; unset uses ssh's own default."},
        {"ssh-key", KUP_CONFIG_STRING, "", "Private key file for SSH; unset uses ssh's own default."},
        {"ssh-port", KUP_CONFIG_INT, "", "SSH port on the node; unset uses ssh's own default."},
        {"binaries-from", KUP_CONFIG_STRING, "",
         "Base URL to download Windows binaries from instead of https://dl.k8s.io (same layout), or an absolute "
         "directory on the admin machine holding kubeadm.exe, kubelet.exe, kube-proxy.exe and their .sha256 files."},
        {"ready-timeout", KUP_CONFIG_DURATION, "5m",
         "How long the node may take to be Ready at the target after its services start."},
        {"drain-timeout", KUP_CONFIG_DURATION, "5m", "How long kubectl drain may take before it gives up."},
        {"kubectl", KUP_CONFIG_STRING, "kubectl", "The kubectl executable on the admin machine."},
    };
  }

  explicit WindowsNodePlugin(kup::Host host)
      : host_(host), settings_(read_settings(host)), shell_(host, settings_.ssh), upgrade_(host, settings_, shell_) {}

  void plan(const kup::Call &call) {
    for (const auto &line : upgrade_.plan(call.phase_id(), call.target_version(), call.plan_powershell()))
      call.out(line);
  }
  void apply_download(const kup::Call &call) { upgrade_.apply_download(call); }
  void rollback_download(const kup::Call &call) { upgrade_.rollback_download(call); }
  void apply_drain(const kup::Call &call) { upgrade_.apply_drain(call); }
  void rollback_drain(const kup::Call &call) { upgrade_.rollback_drain(call); }
  void apply_upgrade_node(const kup::Call &call) { upgrade_.apply_upgrade_node(call); }
  void rollback_upgrade_node(const kup::Call &call) { upgrade_.rollback_upgrade_node(call); }
  void apply_binaries(const kup::Call &call) { upgrade_.apply_binaries(call); }
  void rollback_binaries(const kup::Call &call) { upgrade_.rollback_binaries(call); }
  void apply_restart(const kup::Call &call) { upgrade_.apply_restart(call); }

 private:
  static WindowsSettings read_settings(const kup::Host &host) {
    const Settings config(host, "windows-node");
    WindowsSettings s;
    s.node_name = host.fact("node.name").value_or("localhost");
    s.ssh.host = config.text("ssh-host");
    if (s.ssh.host.empty()) s.ssh.host = s.node_name;
    s.ssh.user = config.text("ssh-user");
    s.ssh.key = config.text("ssh-key");
    if (const long port = config.integer("ssh-port", 0); port != 0) {
      if (port < 1 || port > 65535) throw kup::Error(KUP_E_INVALID_CONFIG, "windows-node.ssh-port must be 1-65535");
      s.ssh.port = std::to_string(port);
    }
    if (const std::string from = config.text("binaries-from"); !from.empty()) s.binaries_from = from;
    if (s.from_directory()) {
      if (host.stat(s.binaries_from).type != KUP_FILE_DIRECTORY)
        throw kup::Error(KUP_E_INVALID_CONFIG, "windows-node.binaries-from is '" + s.binaries_from +
                                                   "', which is not a directory on this machine");
    } else if (s.binaries_from.rfind("https://", 0) != 0 && s.binaries_from.rfind("http://", 0) != 0) {
      throw kup::Error(KUP_E_INVALID_CONFIG, "windows-node.binaries-from is '" + s.binaries_from +
                                                 "'; use an http(s) URL or an absolute directory");
    }
    s.ready_timeout_ms = config.duration_ms("ready-timeout", "5m");
    s.drain_timeout_ms = config.duration_ms("drain-timeout", "5m");
    s.kubectl = config.text("kubectl");
    if (s.kubectl.empty()) s.kubectl = "kubectl";
    // --kubeconfig on the command line wins; else the admin credentials an
    // operator's admin machine has.
    s.kubeconfig = host.fact("run.kubeconfig").value_or("/etc/kubernetes/admin.conf");
    return s;
  }

  kup::Host host_;
  WindowsSettings settings_;
  SshShell shell_;
  WindowsUpgrade upgrade_;
};

}  // namespace kuphost_plugins::windows_node

KUPHOST_PLUGIN(kuphost_plugins::windows_node::WindowsNodePlugin, "windows-node", KUPHOST_PLUGINS_RELEASE)
