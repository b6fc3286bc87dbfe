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
};

void write_node_files(const std::filesystem::path &root, const NodeFilesParams &params);

// kubeadm's KubeletConfiguration for /var/lib/kubelet/config.yaml; the
// simulated `kubeadm upgrade` rewrites it too.
std::string kubelet_config_yaml();

// The apt sources line / yum repo file for `version`'s minor on pkgs.k8s.io.
std::string apt_sources_line(const KubeVersion &version);
std::string yum_repo_file(const KubeVersion &version);

}  // namespace kuphost::sandbox::detail
