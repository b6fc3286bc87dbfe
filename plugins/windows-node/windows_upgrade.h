//===- windows-node/windows_upgrade.h - the phases' bodies ----------------===//
//
// The Windows worker upgrade in the order of "Upgrading Windows nodes":
//   stage-binaries  every target binary staged on the node and checked
//                      against its .sha256, before anything is drained or
//                      replaced (binaries already at the target are skipped);
//   drain              from the admin machine, recording an operator's own
//                      cordon like kubeadm/drain (shared key node/cordoned-before);
//   upgrade-node       the current binaries kept in C:\k\kuphost-backup-<stamp>,
//                      kubeadm.exe replaced, `kubeadm.exe upgrade node`;
//   binaries           services stopped, kubelet.exe / kube-proxy.exe replaced;
//   kubelet-restart    services started, then a wait until the Node is Ready
//                      at the target.
// kubeadm/uncordon and kubeadm/verify finish the node.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_WINDOWS_NODE_WINDOWS_UPGRADE_H
#define KUPHOST_PLUGINS_WINDOWS_NODE_WINDOWS_UPGRADE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "node_steps.h"
#include "remote_shell.h"

namespace kuphost_plugins::windows_node {

// The windows-node section of kuphost.yaml, resolved.
struct WindowsSettings {
  std::string node_name;
  SshTarget ssh;
  std::string binaries_from = "https://dl.k8s.io";  // a base URL, or an absolute directory
  std::string kubectl = "kubectl";
  std::string kubeconfig = "/etc/kubernetes/admin.conf";
  uint64_t ready_timeout_ms = 5 * 60 * 1000;
  uint64_t drain_timeout_ms = 5 * 60 * 1000;
  bool from_directory() const { return !binaries_from.empty() && binaries_from.front() == '/'; }
};

class WindowsUpgrade {
 public:
  WindowsUpgrade(kup::Host host, WindowsSettings settings, RemoteShell &shell);

  // The phase's steps: prose, or with `powershell` the lines of the node
  // script an operator runs (plan -o powershell).
  std::vector<std::string> plan(std::string_view phase, std::string_view target, bool powershell) const;

  void apply_download(const kup::Call &call);
  void rollback_download(const kup::Call &call);
  void apply_drain(const kup::Call &call);
  void rollback_drain(const kup::Call &call);
  void apply_upgrade_node(const kup::Call &call);
  void rollback_upgrade_node(const kup::Call &call);
  void apply_binaries(const kup::Call &call);
  // Also kubelet-restart's rollback: the backup's binaries back, services up.
  void rollback_binaries(const kup::Call &call);
  void apply_restart(const kup::Call &call);

  // "20261127-095752" from the host clock (UTC).
  static std::string stamp_of(int64_t unix_ms);

 private:
  // Waits for one of kubeadm's upgrade slots (kuphost.upgrade-slot/1), when
  // the kubeadm plugin offers them; throws kup::Error when none frees up.
  void take_upgrade_slot(const kup::Call &call);
  // Runs a step; a non-zero exit throws `what failed: <last line>`.
  ShellResult run_step(const PsScript &script, const std::string &what, bool read_only = false);
  std::vector<std::string> kubectl_argv(std::vector<std::string> args) const;
  NodeScriptInput script_input(const std::string &target, const std::string &stamp) const;
  std::string require_target(const kup::Call &call) const;
  std::string stamp();
  std::vector<std::string> remembered_list(const char *key) const;
  void remember(const char *key, const std::string &value) const;
  // Stages one binary; returns false when the node already has it.
  bool stage_binary(const kup::Call &call, const std::string &name, const std::string &target,
                    const std::string &current_hash);
  void check_staged(const ShellResult &r, const std::string &name, const std::string &from);
  std::vector<std::string> services_of(const std::vector<std::string> &binaries) const;
  void restore(const kup::Call &call, const std::vector<std::string> &binaries, bool kubelet_config);
  std::optional<bool> cordoned(const std::string &node, bool must_know) const;
  void wait_until_ready(const kup::Call &call, const std::string &target);

  kup::Host host_;
  WindowsSettings settings_;
  RemoteShell &shell_;
};

}  // namespace kuphost_plugins::windows_node

#endif  // KUPHOST_PLUGINS_WINDOWS_NODE_WINDOWS_UPGRADE_H
