//===- cni-calico/calico_install.h - which Calico runs, and how it was installed
//
// Detection follows calico.md §3: an Installation resource means the Tigera
// operator manages Calico; otherwise a kube-system/calico-node DaemonSet
// means a manifest install. Only reads, through kubectl with admin.conf.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_INSTALL_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_INSTALL_H

#include <optional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "support/kube_version.hpp"

namespace kuphost_plugins::cni_calico {

inline constexpr const char *kAdminConf = "/etc/kubernetes/admin.conf";

// {kubectl, --kubeconfig, admin.conf, args...}
std::vector<std::string> kubectl(std::vector<std::string> args);

struct CalicoInstall {
  enum class Method { kOperator, kManifest };
  Method method = Method::kManifest;
  std::string version;  // "v3.28.1"; empty when the cluster does not say
};

// nullopt when the cluster runs no Calico. Throws kup::Error with
// KUP_E_NOT_APPLICABLE ("cannot detect Calico: <why>") when kubectl cannot
// answer, so that plan leaves the phase out with the reason.
std::optional<CalicoInstall> detect_calico(const kup::Host &host);

// The Kubernetes minors a Calico release is tested with (calico.md §2), as
// {lowest, highest}; nullopt for a release the table does not know.
std::optional<std::pair<int, int>> tested_kubernetes_minors(const KubeVersion &calico);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_INSTALL_H
