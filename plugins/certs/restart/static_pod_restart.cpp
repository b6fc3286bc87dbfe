#include "static_pod_restart.h"

#include <algorithm>

#include "support/text.hpp"

namespace kuphost_plugins::certs {
namespace {

std::string manifest_of(const std::string &component) { return std::string(kManifestsDir) + "/" + component + ".yaml"; }
std::string aside_of(const std::string &dir, const std::string &component) { return dir + "/" + component + ".yaml"; }

bool has(const std::vector<std::string> &v, const std::string &x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string seconds(int64_t ms) { return std::to_string(ms / 1000) + " s"; }

}  // namespace

std::vector<std::string> components_to_restart(const std::vector<std::string> &renewed) {
  const struct {
    const char *component;
    std::vector<std::string> names;
  } kUsers[] = {
      {"etcd", {"etcd-server", "etcd-peer"}},
      {"kube-apiserver",
       {"apiserver", "apiserver-kubelet-client", "front-proxy-client", "apiserver-etcd-client"}},
      {"kube-controller-manager", {"controller-manager.conf"}},
      {"kube-scheduler", {"scheduler.conf"}},
  };
  std::vector<std::string> out;
  for (const auto &user : kUsers)
    if (std::any_of(user.names.begin(), user.names.end(), [&](const std::string &n) { return has(renewed, n); }))
      out.push_back(user.component);
  return out;
}

std::vector<std::string> return_manifests(const std::vector<std::string> &components, const std::string &aside_dir,
                                          const RestartEnv &env) {
  std::vector<std::string> restored;
  for (const auto &c : components)
    if (env.exists(aside_of(aside_dir, c)) && !env.exists(manifest_of(c))) {
      env.move(aside_of(aside_dir, c), manifest_of(c));
      restored.push_back(manifest_of(c));
    }
  return restored;
}

void restart_static_pods(const std::vector<std::string> &components, const std::string &aside_dir,
                         const std::string &apiserver_serial, const RestartEnv &env, const RestartTimings &timings) {
  std::vector<std::string> present;
  for (const auto &c : components) {
    if (env.exists(manifest_of(c))) present.push_back(c);
    else env.progress(manifest_of(c) + " is not there: " + c + " is not a static pod here, nothing to restart");
  }
  if (present.empty()) return;
  const bool apiserver = has(present, "kube-apiserver");
  std::string why;
  try {
    for (const auto &c : present) env.move(manifest_of(c), aside_of(aside_dir, c));
    env.progress("moved the manifests of " + join(present, ", ") + " to " + aside_dir +
                 "; waiting for the kubelet to stop them");
    const int64_t start = env.monotonic_ms();
    for (;;) {
      const int64_t waited = env.monotonic_ms() - start;
      const bool grace_over = waited >= timings.grace_ms;
      const bool apiserver_down = !apiserver || !env.served_apiserver_serial(&why);
      if (grace_over && apiserver_down) break;
      if (waited >= timings.stop_timeout_ms)
        throw RestartError("the kubelet did not stop kube-apiserver within " + seconds(timings.stop_timeout_ms) +
                           " of its manifest leaving " + kManifestsDir + "; is the kubelet running?");
      env.sleep(timings.poll_ms);
    }
  } catch (...) {
    return_manifests(present, aside_dir, env);
    throw;
  }
  return_manifests(present, aside_dir, env);
  env.progress("moved the manifests back; the kubelet starts the pods with the renewed certificates");
  if (apiserver_serial.empty()) return;
  const int64_t start = env.monotonic_ms();
  std::string last;
  for (;;) {
    if (const auto served = env.served_apiserver_serial(&why)) {
      if (*served == apiserver_serial) {
        env.progress("kube-apiserver serves the renewed certificate (serial " + apiserver_serial + ")");
        return;
      }
      last = "it serves serial " + *served + ", not the renewed " + apiserver_serial;
    } else {
      last = why;
    }
    if (env.monotonic_ms() - start >= timings.start_timeout_ms)
      throw RestartError("kube-apiserver did not serve the renewed certificate within " +
                         seconds(timings.start_timeout_ms) + " of its restart (" + last +
                         "); check `crictl ps` and the kubelet's log");
    env.sleep(timings.poll_ms);
  }
}

}  // namespace kuphost_plugins::certs
