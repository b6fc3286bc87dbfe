// The sandbox's kubelets, as far as kube-apiserver goes: every control plane
// with an `apiserverPort` (sandbox.yaml) gets its own kube-apiserver "static
// Pod", the main server's handler served on 127.0.0.1:<apiserverPort> with
// the node's own etc/kubernetes/pki/apiserver.crt and .key, read when it
// starts. It runs while etc/kubernetes/manifests/kube-apiserver.yaml exists,
// stops when the manifest is moved away, and restarts when it comes back or
// changes, so a renewed serving certificate shows only after the static Pod
// restarts, as on a real node. Like etcd members, nothing starts or stops
// while the node's kubelet is not active.
#pragma once

#include <filesystem>
#include <memory>

#include "tls_server.h"

namespace kuphost::sandbox::apiserver {

class ApiserverSupervisor {
 public:
  // Starts every listener that should run now, then polls every 200 ms on a
  // thread of its own (none when no node has a port). Problems (a missing
  // certificate, a port in use) go to stderr, the server's log, once each.
  ApiserverSupervisor(const std::filesystem::path &sandbox_dir, Handler handler);
  // Stops the polling thread and every listener.
  ~ApiserverSupervisor();
  ApiserverSupervisor(const ApiserverSupervisor &) = delete;
  ApiserverSupervisor &operator=(const ApiserverSupervisor &) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kuphost::sandbox::apiserver
