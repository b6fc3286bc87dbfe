//===- kubeadm/plan_table.h - the component table of `kuphost plan` ---------===//
//
// What `kubeadm upgrade plan` shows: per control-plane node kube-apiserver,
// kube-controller-manager, kube-scheduler and etcd, cluster-wide kube-proxy
// and CoreDNS, and the kubelets still to upgrade, each CURRENT -> TARGET.
// The preflight phase's plan builds it and hands it to the host in the
// shared run state under kPlanTableKey (documented in kuphost.h); the host
// renders it as text, JSON or YAML. Pure, so it is unit-tested.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_PLAN_TABLE_H
#define KUPHOST_PLUGINS_KUBEADM_PLAN_TABLE_H

#include <optional>
#include <string>
#include <vector>

#include "cluster_view.h"
#include "support/kube_version.hpp"

namespace kuphost_plugins::kubeadm {

inline constexpr const char *kPlanTableKey = "plan/upgrade-table";

struct PlanTableInput {
  std::optional<KubeVersion> cluster;  // the API server's, else this node's control plane
  std::string cluster_source;          // "API server", "this node's kube-apiserver manifest"
  std::optional<KubeVersion> kubeadm;  // installed on this node
  std::optional<KubeVersion> target;
  bool etcd_upgrade = true;            // kubeadm.etcd-upgrade
  // From the API server; nullopt when it could not be read.
  std::optional<std::vector<ClusterNodeInfo>> nodes;
  std::optional<std::vector<PodInfo>> pods;  // kube-system
  // This node, for when the API server cannot be read.
  std::string node;
  bool control_plane = false;
  std::optional<KubeVersion> this_control_plane, this_kubelet;
};

// The table as YAML text:
//   clusterVersion, clusterVersionSource, kubeadmVersion, target (null when unknown)
//   components: [{component, node, current, target}]  (control plane, kube-proxy, CoreDNS, etcd)
//   kubelets:   [{node, current, target}]             (those not at the target yet)
//   source: "API server" | "this node only (...)"
std::string plan_table_yaml(const PlanTableInput &in);

// kubeadm's CoreDNS and etcd for a target minor (its constants.go, late
// 2024; kubeadm moves them in patch releases); empty when not known.
std::string kubeadm_coredns_for(const KubeVersion &target);
std::string kubeadm_etcd_for(const KubeVersion &target);

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_PLAN_TABLE_H
