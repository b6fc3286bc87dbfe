// A sandbox with its API server up and the real kubectl, for the Calico
// tests: objects applied with `kubectl apply --server-side`, read back with
// jsonpath, and waits for the simulated controllers.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <optional>

#include "eventually.h"
#include "kuphost/sandbox/apiserver.h"
#include "kuphost/sandbox/calico.h"
#include "kubeconfig.h"
#include "sandbox_test_support.h"

namespace kuphost::sandbox::testing {

inline bool has(const std::string &text, const std::string &needle) { return text.find(needle) != std::string::npos; }

class CalicoSandboxTest : public ::testing::Test {
 protected:
  // `calico`: "" | operator | manifest, as `sandbox create --calico`.
  void start(const std::string &nodes, const std::string &calico = "", const std::string &version = "v3.29.1") {
    Spec spec = test_spec(dir_.path() / "c", nodes);
    spec.calico = calico;
    spec.calico_version = version;
    sb_ = make_sandbox(spec);
    ::setenv("KUBECACHEDIR", (dir_.path() / "kube-cache").c_str(), 1);
    std::string error, message;
    kubectl_ = find_real_kubectl("v1.30.5", &error);
    ASSERT_TRUE(kubectl_) << "these tests need a real kubectl: " << error;
    ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  }
  void TearDown() override { apiserver_down(sb_.dir, nullptr, nullptr); }

  RunResult kubectl(std::vector<std::string> args) {
    args.insert(args.begin(), {kubectl_->string(), "--kubeconfig", (sb_.dir / "kubeconfig").string()});
    return run(args);
  }
  RunResult apply(const fs::path &file) {
    return kubectl({"apply", "--server-side", "--force-conflicts", "-f", file.string()});
  }
  // `kubectl get ARGS -o jsonpath=PATH`'s output, or "ERROR: ..." on failure.
  std::string jsonpath(std::vector<std::string> args, const std::string &path) {
    args.insert(args.begin(), "get");
    args.push_back("-o");
    args.push_back("jsonpath=" + path);
    const RunResult r = kubectl(args);
    return r.exit_code == 0 ? r.out : "ERROR: " + r.err;
  }
  // A Calico release written for `version`, its manifests directory.
  fs::path release(const std::string &version) {
    std::string sha, error;
    EXPECT_TRUE(write_calico_release(dir_.path() / "rel", version, &sha, &error)) << error;
    return dir_.path() / "rel" / ("release-" + version) / "manifests";
  }
  // As `kubectl rollout status` decides it, from the DaemonSet's status.
  bool daemonset_rolled_out(const std::string &ns, const std::string &name) {
    const std::string s = jsonpath({"daemonset", name, "-n", ns},
                                   "{.metadata.generation} {.status.observedGeneration} {.status.desiredNumberScheduled} "
                                   "{.status.updatedNumberScheduled} {.status.numberAvailable}");
    long gen = -1, observed = -2, desired = -3, updated = -4, available = -5;
    if (std::sscanf(s.c_str(), "%ld %ld %ld %ld %ld", &gen, &observed, &desired, &updated, &available) != 5) return false;
    return observed >= gen && updated == desired && available == desired && desired > 0;
  }

  TempDir dir_;
  Sandbox sb_;
  std::optional<fs::path> kubectl_;
};

}  // namespace kuphost::sandbox::testing
