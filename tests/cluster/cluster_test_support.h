// A sandbox cluster with its simulated API server running, driven through
// the kuphost executable and the real kubectl, for the cluster-level tests.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "test_support.h"

namespace kuphost::test {

struct SandboxClusterOptions {
  std::string nodes;  // "cp1:first-control-plane,w1:worker"
  std::string version = "v1.30.5";
  std::string distro = "ubuntu-24.04";
  std::string packages = "simulated";  // or "real" (`sandbox create --packages real`)
  int cert_validity_days = 0;          // leaf certificates; 0 = the sandbox's default (365)
  std::vector<std::string> create_args{};  // more words for `sandbox create` ("--calico", "operator")
};

// The row of a kubeadm-style report (check-expiration) whose first column
// is `name`, split on runs of 2+ spaces (dates have single spaces); empty
// when there is none.
std::vector<std::string> report_row(const std::string &report, const std::string &name);

class SandboxCluster {
 public:
  // `nodes`: "cp1:first-control-plane,w1:worker"; the API server is started.
  explicit SandboxCluster(const std::string &nodes, const std::string &version = "v1.30.5");
  explicit SandboxCluster(const SandboxClusterOptions &options);
  ~SandboxCluster();  // stops the API server
  SandboxCluster(const SandboxCluster &) = delete;
  SandboxCluster &operator=(const SandboxCluster &) = delete;

  const std::filesystem::path &dir() const { return dir_; }
  std::filesystem::path root(const std::string &node) const { return dir_ / "nodes" / node / "root"; }

  // kuphost --sandbox DIR --node NODE ARGS...
  ProcessResult kuphost(const std::string &node, std::vector<std::string> args) const;
  // `kuphost ... --plugins apt|yum apply -y VERSION` plus `extra` (yum on rhel-9).
  ProcessResult apply(const std::string &node, const std::string &version = "v1.31.2",
                      std::vector<std::string> extra = {}) const;
  // The argv of that apply, for tests that start it themselves.
  std::vector<std::string> apply_argv(const std::string &node, const std::string &version = "v1.31.2") const;
  // The real kubectl with DIR/kubeconfig; its cache under the test's temp dir.
  ProcessResult kubectl(std::vector<std::string> args, const std::string &stdin_data = {}) const;
  // `kubectl get nodes -o json` parsed.
  YAML::Node nodes() const;
  // Writes the node's /etc/kuphost/kuphost.yaml.
  void configure(const std::string &node, const std::string &yaml) const;
  // Changes cluster.yaml directly (the simulated cluster's state).
  void edit_cluster(const std::function<void(YAML::Node &)> &change) const;
  // cluster/cordon-history.log, one parsed line each.
  std::vector<YAML::Node> cordon_history() const;

 private:
  TempDir tmp_;
  std::filesystem::path dir_;
  std::string package_plugin_ = "apt";
  std::filesystem::path kubectl_;
};

}  // namespace kuphost::test
