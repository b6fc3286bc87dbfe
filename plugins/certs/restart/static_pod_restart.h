// Restarting the control-plane static pods whose certificates were renewed,
// the way the kubeadm-certs page says to: the kubelet stops a static pod
// when its manifest leaves /etc/kubernetes/manifests and starts it again
// when it comes back (it looks every fileCheckFrequency, 20 s by default).
// kube-apiserver is then asked for its certificate: the restart counts only
// when it serves the serial of the file on disk.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kuphost_plugins::certs {

class RestartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char *kManifestsDir = "/etc/kubernetes/manifests";

// The static pods that read the renewed certificates (check-expiration
// names), in kubeadm's upgrade order: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler. admin.conf, super-admin.conf and
// etcd-healthcheck-client (read by each probe) need none.
std::vector<std::string> components_to_restart(const std::vector<std::string> &renewed_names);

struct RestartEnv {
  // Node paths. move() renames within the node's filesystem; throws on failure.
  std::function<void(const std::string &from, const std::string &to)> move;
  std::function<bool(const std::string &node_path)> exists;
  // kube-apiserver's served serial, or nullopt (with the reason) when it does not answer.
  std::function<std::optional<std::string>(std::string *why)> served_apiserver_serial;
  std::function<void(int64_t ms)> sleep;
  std::function<int64_t()> monotonic_ms;
  std::function<void(const std::string &)> progress;
};

struct RestartTimings {
  int64_t grace_ms = 20000;          // the kubelet's fileCheckFrequency
  int64_t stop_timeout_ms = 120000;  // + the pod's termination grace period
  int64_t start_timeout_ms = 300000;
  int64_t poll_ms = 500;
};

// Moves the components' manifests into `aside_dir`, waits until the kubelet
// has stopped them (kube-apiserver: until it stops answering; the others:
// the grace period), moves them back, then waits until kube-apiserver
// serves `apiserver_serial` (skipped when empty). The manifests are back in
// place before any RestartError.
void restart_static_pods(const std::vector<std::string> &components, const std::string &aside_dir,
                         const std::string &apiserver_serial, const RestartEnv &env, const RestartTimings &timings);

// Puts back every manifest a killed run left in `aside_dir` (where no
// manifest of that name is in place). Returns the node paths restored.
std::vector<std::string> return_manifests(const std::vector<std::string> &components, const std::string &aside_dir,
                                          const RestartEnv &env);

}  // namespace kuphost_plugins::certs
