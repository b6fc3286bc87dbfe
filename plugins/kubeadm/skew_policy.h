//===- kubeadm/skew_policy.h - which upgrades the version-skew policy allows ---===//
//
// A pure function from what is known about the cluster and this node to the
// rules the requested upgrade breaks. No I/O, so every rule is unit-tested
// (tests/kubeadm/skew_policy_test.cpp); preflight.cpp gathers the input.
//
// The rules follow kubeadm's policy.go and the version-skew policy page
// (/work/shared/reference/skew-policy.md), and `--force` overrides exactly
// what kubeadm's --force overrides:
//
//   rule               refuses                                            skip
//   MajorVersion       a target in another major version                  never
//   SkippedMinor       a target more than one minor above the current     never; --force for a
//                      version ("upgrade to v1.31.x first")               pre-release target
//   MinorDowngrade     a target two or more minors below the current      never; --force for a
//                      a target one minor below                           pre-release target
//                                                                         --force (kubeadm: "Kubeadm
//                                                                         version X can only be used to
//                                                                         upgrade to X.Y")
//   PreRelease         an alpha/beta/rc target without                    --force
//                      --allow-experimental-upgrades (rc: or
//                      --allow-release-candidate-upgrades)
//   KubeadmVersion     a target more than one minor above the installed   never; --force for a
//                      kubeadm (kubeadm moves one minor per upgrade)      pre-release target
//                      an installed kubeadm of a newer minor than the     --force
//                      target
//   KubeletSkew        a kubelet that would be newer than the target      --force
//                      control plane, or older than it by more than 3
//                      minors (2 for kubelets below v1.25)
//   ControlPlaneFirst  on other control planes and workers: a target      not --force (kubeadm has no
//                      above the API server's version: the first          such check); only
//                      control plane goes first                           --ignore-preflight-errors
//
// "never" rules are refused even with --force and --ignore-preflight-errors
// (kubeadm's "fatal errors"); --ignore-preflight-errors=NAME or =all demotes
// every other rule to a warning, as it does for the other preflight checks.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_SKEW_POLICY_H
#define KUPHOST_PLUGINS_KUBEADM_SKEW_POLICY_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/kube_version.hpp"

namespace kuphost_plugins::kubeadm {

// Rule names: stable, used in messages and in --ignore-preflight-errors.
inline constexpr std::string_view kRuleMajorVersion = "MajorVersion";
inline constexpr std::string_view kRuleSkippedMinor = "SkippedMinor";
inline constexpr std::string_view kRuleMinorDowngrade = "MinorDowngrade";
inline constexpr std::string_view kRulePreRelease = "PreRelease";
inline constexpr std::string_view kRuleKubeadmVersion = "KubeadmVersion";
inline constexpr std::string_view kRuleKubeletSkew = "KubeletSkew";
inline constexpr std::string_view kRuleControlPlaneFirst = "ControlPlaneFirst";

// How a refusal may be overridden.
enum class Override {
  kNever,            // kubeadm's fatal errors: nothing skips them
  kForce,            // kubeadm's skippable errors: --force, or --ignore-preflight-errors
  kIgnoreByNameOnly  // not kubeadm's: only --ignore-preflight-errors (NAME or all)
};

struct SkewFinding {
  std::string rule;     // one of the kRule* names
  std::string message;  // what is wrong and what to do, one line
  Override override_by = Override::kNever;
};

enum class NodeRole { kFirstControlPlane, kOtherControlPlane, kWorker };

struct NodeKubelet {
  std::string name;
  std::optional<KubeVersion> kubelet;  // status.nodeInfo.kubeletVersion; nullopt if unparsable
};

struct SkewInput {
  KubeVersion target;
  NodeRole role = NodeRole::kWorker;
  std::string node;  // this node's name, for messages
  // The API server's /version; nullopt when it could not be read.
  std::optional<KubeVersion> api_server;
  // This node's control-plane version (its kube-apiserver manifest); CPs only.
  std::optional<KubeVersion> this_control_plane;
  std::optional<KubeVersion> this_kubelet;
  // The kubeadm installed now, before kuphost's kubeadm-package phase moves
  // it to the target; nullopt on Windows (windows-node checks kubeadm.exe).
  std::optional<KubeVersion> kubeadm;
  // Every node's kubelet; nullopt when the nodes could not be listed, which
  // leaves KubeletSkew unchecked (APIServerReachable reports why).
  std::optional<std::vector<NodeKubelet>> nodes;
  bool allow_experimental = false;
  bool allow_release_candidate = false;
};

// Every rule the upgrade breaks, in the order of the table above; empty when
// the policy allows it.
std::vector<SkewFinding> check_skew(const SkewInput &in);

// The version the upgrade starts from for the minor-skip and downgrade rules:
// the API server's on the first control plane (this node's manifest when the
// API server cannot be read), this node's control plane on the others, the
// kubelet on workers. nullopt when unknown.
std::optional<KubeVersion> current_version(const SkewInput &in);

// The one-minor-at-a-time path, e.g. from v1.29.3 to v1.32.0:
// "v1.30.x, then v1.31.x, then v1.32.0".
std::string upgrade_chain(const KubeVersion &from, const KubeVersion &to);

// The names above, in table order.
const std::vector<std::string_view> &skew_rule_names();

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_SKEW_POLICY_H
