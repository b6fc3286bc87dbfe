// The sandbox as a cluster: kuphost-apiserver, a simulated Kubernetes API
// server on 127.0.0.1 that serves DIR/cluster/cluster.yaml over HTTPS to the
// real kubectl, and the lookup of that real kubectl.
//
// Files (all under the sandbox directory):
//   kubeconfig                   admin credentials (kubernetes-admin) for this machine's kubectl
//   cluster/pki/                 the server's CA copy and serving certificate
//   cluster/apiserver.port       the port every kubeconfig's `server:` points at
//   cluster/apiserver.pid        while the server runs
//   cluster/apiserver.log        its stdout and stderr
//   cluster/apiserver-audit.log  one JSON line per request
//   cluster/cordon-history.log   one JSON line per change of a node's spec.unschedulable
//   cluster/kubectl-path         the real kubectl the nodes' `kubectl` runs
//   cluster/etcd-<node>.{pid,log} the real etcd member the server runs per
//                                stacked control plane (etcd.h)
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kuphost::sandbox {

// The real kubectl for a cluster at `kubernetes_version` (v1.M.P):
//   1. $KUPHOST_KUBECTL;
//   2. /usr/lib/google-cloud-sdk/bin/kubectl.1.M, or the nearest shipped
//      minor (never the dispatcher /usr/bin/kubectl, which asks the server
//      for its version and picks a binary itself);
//   3. `kubectl` on PATH, unless it is that dispatcher;
//   4. Debian's kubernetes-client unpacked by scripts/install-deps.sh into
//      /opt/kuphost/kubernetes-client/usr/bin/kubectl.
// nullopt and *error naming every place looked at when there is none.
// Never throws.
std::optional<std::filesystem::path> find_real_kubectl(const std::string &kubernetes_version, std::string *error);

struct ApiServerStatus {
  bool running = false;  // the recorded process is alive and accepts connections
  int pid = 0;
  int port = 0;          // the recorded port, 0 when none
};

ApiServerStatus apiserver_status(const std::filesystem::path &sandbox_dir);

// Starts `server_exe` (kuphost-apiserver) for the sandbox, detached (its own
// session, output to cluster/apiserver.log), waits until it accepts
// connections and records its pid. `port` 0 reuses the recorded port, or
// picks a free one when that is taken; the kubeconfigs (DIR/kubeconfig and
// every node's /etc/kubernetes/*.conf) are rewritten only when the port
// changes. Already running: *message says so and it returns true. Returns
// false with a one-line *error (ending with the log's last line) otherwise.
// Never throws.
bool apiserver_up(const std::filesystem::path &sandbox_dir, const std::filesystem::path &server_exe, int port,
                  std::string *message, std::string *error);

// SIGTERM, waits for the server to exit (SIGKILL after 5 s), removes the pid
// file. Not running: *message says so and it returns true. Never throws.
bool apiserver_down(const std::filesystem::path &sandbox_dir, std::string *message, std::string *error);

}  // namespace kuphost::sandbox
