// Everything on a node's root filesystem except the PKI: os-release,
// package repository files, kubelet configuration, static Pod manifests,
// etcd's data dir, the simulated node state and the command symlinks.
#pragma once

#include <filesystem>
#include <string>

#include "sandbox_file.h"
#include "version.h"

namespace kuphost::sandbox::detail {

struct NodeFilesParams {
  const SandboxFile *sandbox = nullptr;
  const SandboxNode *node = nullptr;
  KubeVersion version;
  std::filesystem::path node_sim;  // absolute
  // `--packages real`: the repository file, the installed packages and
  // kubeadm/kubelet/kubectl come from provision_*_root (real_package_root.h).
  bool real_packages = false;
};

void write_node_files(const std::filesystem::path &root, const NodeFilesParams &params);

// kubeadm's KubeletConfiguration for /var/lib/kubelet/config.yaml; the
// simulated `kubeadm upgrade` rewrites it too.
std::string kubelet_config_yaml();

// The apt sources line / yum repo file for `version`'s minor on pkgs.k8s.io.
std::string apt_sources_line(const KubeVersion &version);
std::string yum_repo_file(const KubeVersion &version);
// Upstream's kubernetes.repo for the repository at `base` (ending in "/").
std::string yum_repo_file_at(const std::string &base);

}  // namespace kuphost::sandbox::detail
