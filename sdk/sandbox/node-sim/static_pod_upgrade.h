// kubeadm's PerformStaticPodUpgrade on this control plane node
// (kubeadm-upgrade.md §2.2, etcd.md §1): back up, renew certificates,
// regenerate each manifest for the target version, swap it in, wait for the
// kubelet, and roll back everything on failure.
#pragma once

#include <optional>
#include <string>

#include "kubeadm.h"

namespace kuphost::sandbox::sim {

struct StaticPodUpgradeOptions {
  detail::KubeVersion target;
  bool dry_run = false;
  bool etcd_upgrade = true;
  bool renew_certificates = true;
  std::string patches_dir;  // as given on the command line; empty = none
};

// nullopt on success; otherwise the error kubeadm reports, after the
// manifests (and etcd's data) were rolled back.
std::optional<std::string> upgrade_static_pods(Invocation &inv, const UpgradeContext &ctx,
                                               const StaticPodUpgradeOptions &options);

}  // namespace kuphost::sandbox::sim
