//===- cni-calico/calico_install.h - which Calico runs, and how it was installed
//
// Detection follows calico.md §3: an Installation resource, or else a
// Deployment in namespace tigera-operator, means the Tigera operator manages
// Calico (which then runs in calico-system); otherwise a
// kube-system/calico-node DaemonSet means a manifest install. Only reads,
// through kubectl with admin.conf.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_INSTALL_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_INSTALL_H

#include <optional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins::cni_calico {

inline constexpr const char *kAdminConf = "/etc/kubernetes/admin.conf";

// {kubectl, --kubeconfig, admin.conf, args...}
std::vector<std::string> kubectl(std::vector<std::string> args);

// One read-only `kubectl ARGS`: its stdout, or nullopt for "no such object
// or resource type" (NotFound, no matches for kind). Throws kup::Error
// (`code`) with kubectl's last line when it cannot tell. `stdin_data` feeds
// `-f -`.
std::optional<std::string> kubectl_get(const kup::Host &host, std::vector<std::string> args,
                                       kup_status code = KUP_E_COMMAND_FAILED, const std::string &stdin_data = {});

struct CalicoInstall {
  enum class Method { kOperator, kManifest };
  Method method = Method::kManifest;
  std::string version;  // "v3.28.1"; empty when the cluster does not say
  bool operator_managed() const { return method == Method::kOperator; }
  // Where calico-node runs: calico-system (operator) or kube-system.
  const char *node_namespace() const { return operator_managed() ? "calico-system" : "kube-system"; }
  const char *method_text() const { return operator_managed() ? "managed by the Tigera operator" : "installed from a manifest"; }
};

// nullopt when the cluster runs no Calico. Throws kup::Error with
// KUP_E_NOT_APPLICABLE ("cannot detect Calico: <why>") when kubectl cannot
// answer, so that plan leaves the phase out with the reason.
std::optional<CalicoInstall> detect_calico(const kup::Host &host);

// "docker.io/calico/node:v3.28.1" -> "v3.28.1"; empty without a tag.
std::string image_tag(const std::string &image);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_INSTALL_H
