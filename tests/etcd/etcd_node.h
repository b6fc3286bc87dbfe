// A control-plane node in a directory for the backup and restore jobs: a
// real etcd whose data dir, PKI and static-pod manifest sit at kubeadm's
// node paths under a root, a command runner that runs the REAL etcdctl with
// those node paths mapped under the root (as the sandbox's node-sim does),
// and a kubelet stand-in that stops etcd while its manifest is moved aside
// and starts it again when it comes back.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/backup_job.h"
#include "core/restore_job.h"
#include "process_command_runner.h"
#include "real_etcd.h"

namespace kuphost::test::etcd {

// Rewrites absolute-path arguments (`/x`, `--flag=/x`) to <root>/x.
class NodeRootRunner : public kuphost_plugins::etcd_backup::CommandRunner {
 public:
  NodeRootRunner(std::filesystem::path root, std::optional<std::string> search_path = std::nullopt)
      : root_(std::move(root)), inner_(std::move(search_path)) {}
  kuphost_plugins::etcd_backup::CommandResult run(const kuphost_plugins::etcd_backup::Command &command) override;
  const std::vector<std::vector<std::string>> &history() const { return inner_.history(); }

 private:
  std::filesystem::path root_;
  ProcessCommandRunner inner_;
};

class EtcdNode {
 public:
  // Creates <root>/etc/kubernetes/{pki,manifests,tmp}, the kubelet config,
  // a kubernetes.list, and starts etcd with data dir /var/lib/etcd/data.
  explicit EtcdNode(const std::filesystem::path &root, const std::string &name = "cp1");
  ~EtcdNode();

  const std::filesystem::path &root() const { return root_; }
  std::filesystem::path host(const std::string &node_path) const { return root_ / node_path.substr(1); }
  kuphost_plugins::etcd_backup::PathResolver resolver() const;
  RealEtcd &etcd() { return *etcd_; }
  NodeRootRunner &runner() { return runner_; }

  // Watches /etc/kubernetes/manifests/etcd.yaml like the kubelet.
  void start_kubelet();
  void stop_kubelet();

  // A request for the whole node, as the plugin builds it.
  kuphost_plugins::etcd_backup::BackupRequest backup_request() const;
  kuphost_plugins::etcd_backup::RestoreRequest restore_request(const std::string &name = "") const;

 private:
  std::filesystem::path root_;
  EtcdPki pki_;
  std::unique_ptr<RealEtcd> etcd_;
  NodeRootRunner runner_;
  std::thread kubelet_;
  std::atomic<bool> kubelet_running_{false};
};

kuphost_plugins::etcd_backup::Waiting real_waiting();

}  // namespace kuphost::test::etcd
