// A real etcd server (Debian's /usr/bin/etcd) for tests, shaped like a
// kubeadm stacked member: https client and peer URLs on free loopback ports
// (never 2379/2380, where a packaged etcd.service may listen), mutual TLS
// with kubeadm's etcd PKI, its data dir and log under the test's directory.
// The server is a direct child of the test (posix_spawn), so it is reaped
// when stopped, never left <defunct> (test-recipes.md §3).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "etcd_client_tls.h"
#include "etcd_pki.h"
#include "test_support.h"

namespace kuphost::test::etcd {

struct RealEtcdOptions {
  std::filesystem::path etcd = "/usr/bin/etcd";
  std::filesystem::path etcdctl = "/usr/bin/etcdctl";
  std::chrono::milliseconds ready_timeout{std::chrono::seconds(20)};
  // Restore this snapshot into the data dir (`etcdctl snapshot restore`,
  // with this member's name and peer URL) before starting.
  std::optional<std::filesystem::path> restore_from;
};

// Throws std::runtime_error, telling the reader to run
// scripts/install-deps.sh, when the etcd or etcdctl binary is missing.
void require_etcd_installed(const RealEtcdOptions &options = {});

class RealEtcd {
 public:
  // Starts etcd in `work_dir` (data/, etcd.log) with `pki` and waits until
  // GET /health with the healthcheck-client certificate says true. Throws
  // std::runtime_error with the end of etcd's log when it does not start.
  RealEtcd(const std::filesystem::path &work_dir, EtcdPki pki, RealEtcdOptions options = {});
  ~RealEtcd();  // stop()
  RealEtcd(const RealEtcd &) = delete;
  RealEtcd &operator=(const RealEtcd &) = delete;

  // SIGTERM, then SIGKILL after 10 s; always reaps the child. Idempotent.
  void stop();
  // Starts the stopped server again on the same ports and data dir, as the
  // kubelet restarts a static pod; waits until healthy. Throws when it does
  // not start (a restored data dir that etcd refuses, a port taken meanwhile).
  void restart();
  bool running() const { return pid_ > 0; }

  const std::string &name() const { return pki_.node_name(); }
  const EtcdPki &pki() const { return pki_; }
  std::string client_url() const { return "https://127.0.0.1:" + std::to_string(client_port_); }
  std::string peer_url() const { return "https://127.0.0.1:" + std::to_string(peer_port_); }
  const std::filesystem::path &data_dir() const { return data_dir_; }
  const std::filesystem::path &log_file() const { return log_file_; }
  pid_t pid() const { return pid_; }
  // From spawn to the first healthy answer (the last attempt, after retries).
  std::chrono::milliseconds time_to_healthy() const { return time_to_healthy_; }

  // How kuphost reaches this member: kubeadm's health-check client cert,
  // and the API server's.
  kuphost_plugins::etcd_backup::EtcdClientTls healthcheck_client() const;
  kuphost_plugins::etcd_backup::EtcdClientTls apiserver_client() const;

  // etcdctl against this member with the healthcheck-client certificate.
  ProcessResult etcdctl(const std::vector<std::string> &args, const std::string &stdin_data = {}) const;
  // These throw std::runtime_error with etcdctl's output when it fails.
  void put(const std::string &key, const std::string &value) const;
  std::optional<std::string> get(const std::string &key) const;
  // Every key under `prefix` and its value.
  std::map<std::string, std::string> entries_with_prefix(const std::string &prefix) const;
  // PREFIX0 .. PREFIX<count-1> = "value-<i>", in transactions of 1000 puts.
  void put_many(const std::string &prefix, int count) const;

 private:
  void restore(const std::filesystem::path &snapshot) const;
  bool start_once();  // false: a port was taken under us; throws on other failures
  std::string log_tail() const;

  EtcdPki pki_;
  RealEtcdOptions options_;
  std::filesystem::path data_dir_, log_file_;
  uint16_t client_port_ = 0, peer_port_ = 0;
  pid_t pid_ = -1;
  std::chrono::milliseconds time_to_healthy_{0};
};

}  // namespace kuphost::test::etcd
