//===- kubeadm/preflight_checks.h - the names of kubeadm/preflight's checks ---===//
//
// Named like kubeadm's preflight checks, so that --ignore-preflight-errors
// reads the same. The host validates the names the operator passes against
// its own copy of this list (host/facts/preflight_names.h); a unit test
// keeps the two equal.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_PREFLIGHT_CHECKS_H
#define KUPHOST_PLUGINS_KUBEADM_PREFLIGHT_CHECKS_H

#include <string_view>
#include <vector>

#include "skew_policy.h"

namespace kuphost_plugins::kubeadm {

inline constexpr std::string_view kCheckIsPrivilegedUser = "IsPrivilegedUser";
inline constexpr std::string_view kCheckKubeadmInstalled = "KubeadmInstalled";
inline constexpr std::string_view kCheckAdminConf = "AdminConf";
inline constexpr std::string_view kCheckSwap = "Swap";
inline constexpr std::string_view kCheckFreeDiskSpace = "FreeDiskSpace";
inline constexpr std::string_view kCheckAPIServerReachable = "APIServerReachable";
inline constexpr std::string_view kCheckNodesReady = "NodesReady";
inline constexpr std::string_view kCheckControlPlanePodsRunning = "ControlPlanePodsRunning";

// Every name preflight reports: its checks, then the skew rules.
inline const std::vector<std::string_view> &preflight_check_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all{kCheckIsPrivilegedUser,     kCheckKubeadmInstalled, kCheckAdminConf,
                                      kCheckSwap,                 kCheckFreeDiskSpace,    kCheckAPIServerReachable,
                                      kCheckNodesReady,           kCheckControlPlanePodsRunning};
    for (auto rule : skew_rule_names()) all.push_back(rule);
    return all;
  }();
  return names;
}

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_PREFLIGHT_CHECKS_H
