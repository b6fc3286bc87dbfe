//===- kubeadm/kubeadm_plugin.h - the built-in kubeadm upgrade workflow ---===//
//
// The documented manual procedure (kubeadm-upgrade.md §6) as phases: checks,
// kubeadm package, `kubeadm upgrade apply|node`, drain, kubelet and kubectl
// packages, kubelet restart, uncordon, and a final Ready check. Packages go
// through kuphost.package-manager/1 (apt, yum), so this plugin knows no
// distro; Windows workers get their node steps from windows-node.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_KUBEADM_PLUGIN_H
#define KUPHOST_PLUGINS_KUBEADM_KUBEADM_PLUGIN_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "kubectl.h"
#include "upgrade_slot.h"
#include "upgrade_slot_extension.h"
#include "support/kube_version.hpp"

namespace kuphost_plugins::kubeadm {

// The kubeadm section of kuphost.yaml.
struct KubeadmSettings {
  bool etcd_upgrade = true;
  bool certificate_renewal = true;
  std::string patches;  // directory for --patches; empty = none
  std::string upgrade_config;  // kubeadm config with upgraded component configs, for --config
  uint64_t drain_timeout_ms = 0;
  int64_t drain_grace_period_s = -1;  // -1: each pod's own terminationGracePeriodSeconds
  std::string kubectl = "kubectl";
  std::string kubeconfig;  // for nodes without admin.conf; empty = kubelet.conf
  uint64_t node_ready_timeout_ms = 0;
  SlotSettings slots;
};

// The packages one phase upgrades together, and where it records what was
// installed before so that rollback can put it back after a crash.
struct PackageSet {
  std::string state_prefix;           // "kubeadm-package", "node-packages"
  std::vector<std::string> required;  // must be installed already
  std::vector<std::string> optional;  // upgraded only when installed (kubectl on workers)
};

class KubeadmPlugin {
 public:
  static void describe(kup::PluginInfo &info);
  explicit KubeadmPlugin(kup::Host host);
  // kuphost.upgrade-slot/1, for plugins that drain a node themselves.
  const void *extension(std::string_view id) const;

  // preflight.cpp
  void plan_preflight(const kup::Call &call);
  void apply_preflight(const kup::Call &call);
  // packages.cpp
  void plan_kubeadm_package(const kup::Call &call);
  void apply_kubeadm_package(const kup::Call &call);
  void rollback_kubeadm_package(const kup::Call &call);
  // `kubeadm version -o short` must print the target once the package is in.
  void verify_kubeadm_package(const kup::Call &call);
  void plan_node_packages(const kup::Call &call);
  void apply_node_packages(const kup::Call &call);
  void rollback_node_packages(const kup::Call &call);
  // upgrade.cpp
  void plan_upgrade_apply(const kup::Call &call);
  void apply_upgrade_apply(const kup::Call &call);
  void plan_upgrade_node(const kup::Call &call);
  void apply_upgrade_node(const kup::Call &call);
  // cordon.cpp
  void plan_drain(const kup::Call &call);
  void apply_drain(const kup::Call &call);
  void rollback_drain(const kup::Call &call);
  void plan_uncordon(const kup::Call &call);
  void apply_uncordon(const kup::Call &call);
  // kubelet.cpp
  void plan_kubelet_restart(const kup::Call &call);
  void apply_kubelet_restart(const kup::Call &call);
  void verify_kubelet_restart(const kup::Call &call);
  void plan_verify(const kup::Call &call);
  void apply_verify(const kup::Call &call);

 private:
  // Facts of this node.
  std::string node_name() const;
  bool is_control_plane() const;
  bool is_windows() const;
  std::optional<KubeVersion> fact_version(const char *key) const;
  // The call's target; throws KUP_E_INVALID_ARGUMENT when absent or invalid.
  KubeVersion require_target(const kup::Call &call) const;

  void check_preflight(const kup::Call &call, bool planning);
  PackageSet kubeadm_packages() const;
  PackageSet node_packages() const;
  void plan_packages(const kup::Call &call, const PackageSet &set);
  void apply_packages(const kup::Call &call, const PackageSet &set);
  void rollback_packages(const kup::Call &call, const PackageSet &set);
  // kubeadm upgrade apply|node flags from the settings.
  std::vector<std::string> upgrade_flags() const;
  // kubeadm upgrade apply TARGET --yes [--force] [--config FILE] flags...
  std::vector<std::string> apply_argv(const std::string &target, bool force) const;
  // --allow-experimental-upgrades / --allow-release-candidate-upgrades as the operator gave them.
  std::vector<std::string> pre_release_flags() const;
  Kubectl kubectl() const;
  // Waits (node-ready-timeout) until this node is Ready with kubelet `target`.
  void wait_until_ready(const kup::Call &call, const KubeVersion &target);
  uint32_t poll_interval_ms() const;
  // systemctl daemon-reload, then restart kubelet.
  void restart_kubelet(const kup::Call &call);
  // kubectl drain's arguments from the settings.
  std::vector<std::string> drain_args(const std::string &node) const;
  // Undoes a failed drain's cordon, frees the slot, throws naming the blocking pods.
  [[noreturn]] void fail_drain(const kup::Call &call, const Kubectl &k, const std::string &node,
                               bool cordoned_before, const std::string &output);
  // The cluster-wide upgrade slot of this node (upgrade_slot.h), created on first use.
  UpgradeSlot &slot();
  // After a crash between drain and uncordon, a resumed run takes its slot
  // back before it changes the drained node any further.
  void hold_slot_if_drained(const kup::Call &call);
  // call.changed() worded for what happened, or for what would in a dry run.
  static void changed(const kup::Call &call, const std::string &done, const std::string &would);

  kup::Host host_;
  KubeadmSettings settings_;
  std::unique_ptr<UpgradeSlot> slot_;  // owned; its renewer thread stops with the plugin
  UpgradeSlotTable slot_table_{[this]() -> UpgradeSlot & { return slot(); }};
};

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_KUBEADM_PLUGIN_H
