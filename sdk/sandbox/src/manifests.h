// The static Pod manifests kubeadm writes to /etc/kubernetes/manifests.
// Both `sandbox create` and the simulated `kubeadm upgrade` render them here,
// the way kubeadm regenerates them from its ClusterConfiguration.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox_file.h"
#include "version.h"

namespace kuphost::sandbox::detail {

// Where an external etcd sandbox's kube-apiservers look for etcd.
inline constexpr const char *kExternalEtcdEndpoint = "https://10.0.1.10:2379";

struct ControlPlaneParams {
  std::string node_name, address, distro;
  bool stacked_etcd = true;
  KubeVersion version;
  std::string etcd_image_tag;  // 3.5.15-0
  // Stacked etcd members this node knew when it joined (itself last), for
  // --initial-cluster; more than one means --initial-cluster-state=existing.
  std::vector<std::pair<std::string, std::string>> etcd_members;
};

// In kubeadm's upgrade order: etcd (when stacked) first.
std::vector<std::string> control_plane_components(bool stacked_etcd);

// `component`: etcd | kube-apiserver | kube-controller-manager | kube-scheduler.
std::string render_manifest(std::string_view component, const ControlPlaneParams &params);

// Params for `node` at `version`, from the sandbox's topology.
ControlPlaneParams control_plane_params(const SandboxFile &sandbox, const SandboxNode &node,
                                        const KubeVersion &version, const std::string &etcd_image_tag);

// The first container's image tag ("v1.30.5", "3.5.15-0"); empty if none.
std::string manifest_image_tag(const std::string &manifest_text);

}  // namespace kuphost::sandbox::detail
