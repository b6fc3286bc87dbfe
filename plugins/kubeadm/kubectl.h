//===- kubeadm/kubectl.h - kubectl as the kubeadm workflow uses it --------===//
//
// Picks the kubeconfig a node has (admin.conf on control planes; on workers
// admin.conf if the operator copied it there, else the kubelet's own
// kubelet.conf) and reads the two things the workflow needs about a Node:
// whether it is cordoned, and its kubelet version and Ready condition.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_KUBECTL_H
#define KUPHOST_PLUGINS_KUBEADM_KUBECTL_H

#include <optional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins::kubeadm {

inline constexpr const char *kAdminConf = "/etc/kubernetes/admin.conf";
inline constexpr const char *kKubeletConf = "/etc/kubernetes/kubelet.conf";

// What the API server reports about a Node.
struct NodeStatus {
  std::string kubelet_version;  // status.nodeInfo.kubeletVersion, "v1.31.2"
  std::string ready;            // the Ready condition: "True", "False", "Unknown"; empty if absent
};

class Kubectl {
 public:
  // `kubeconfig_override` (kubeadm.kubeconfig) is used where admin.conf is
  // absent; empty = the kubelet's kubelet.conf.
  Kubectl(const kup::Host &host, std::string binary, bool control_plane, std::string kubeconfig_override = {});

  // {kubectl, --kubeconfig, <file>, args...}
  std::vector<std::string> argv(std::vector<std::string> args) const;
  const std::string &kubeconfig() const noexcept { return kubeconfig_; }
  // False on a worker without admin.conf: a kubelet's credentials may read
  // its own Node but usually may not evict pods.
  bool has_admin_rights() const noexcept { return kubeconfig_ != kKubeletConf; }

  // spec.unschedulable of the node; throws kup::Error when kubectl fails.
  bool cordoned(const std::string &node) const;
  // The same, or nullopt when kubectl cannot tell (for plans, which must not
  // fail on a cluster that is unreachable right now).
  std::optional<bool> cordoned_if_known(const std::string &node) const;
  // The read-only command status() runs, for plans.
  std::vector<std::string> status_argv(const std::string &node) const;
  // nullopt with *why set when kubectl fails.
  std::optional<NodeStatus> status(const std::string &node, std::string *why) const;

 private:
  kup::Host host_;
  std::string binary_;
  std::string kubeconfig_;
};

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_KUBECTL_H
