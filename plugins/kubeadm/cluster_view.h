//===- kubeadm/cluster_view.h - what kubectl's JSON says about the cluster ---===//
//
// Parses the three read-only answers preflight and the plan table use:
// `kubectl version -o json`, `kubectl get nodes -o json` and `kubectl get
// pods -n kube-system -o json`. Only standard fields are read, so the real
// API server and the sandbox's answer alike. yaml-cpp reads the JSON.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_CLUSTER_VIEW_H
#define KUPHOST_PLUGINS_KUBEADM_CLUSTER_VIEW_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/kube_version.hpp"

namespace kuphost_plugins::kubeadm {

struct ClusterNodeInfo {
  std::string name;
  std::string kubelet;  // status.nodeInfo.kubeletVersion
  std::string ready;    // the Ready condition's status: True | False | Unknown; empty if absent
  bool control_plane = false;  // label node-role.kubernetes.io/control-plane (or master)
};

struct PodInfo {
  std::string name, node;  // metadata.name, spec.nodeName
  std::string phase;       // status.phase
  std::string image;       // spec.containers[0].image
};

// serverVersion.gitVersion; nullopt when absent or not a version.
std::optional<KubeVersion> parse_server_version(std::string_view json);
// nullopt with *why set when the text is not a List of the expected items.
std::optional<std::vector<ClusterNodeInfo>> parse_nodes(std::string_view json, std::string *why);
std::optional<std::vector<PodInfo>> parse_pods(std::string_view json, std::string *why);
// "registry.k8s.io/kube-proxy:v1.30.5" -> "v1.30.5"; "" without a tag.
std::string image_tag(std::string_view image);

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_CLUSTER_VIEW_H
