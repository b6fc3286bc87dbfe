// The sandbox's real etcd members. kuphost-apiserver runs this machine's
// etcd for every stacked control plane whose etc/kubernetes/manifests/etcd.yaml
// exists (as its kubelet would run the static Pod), on the loopback ports
// recorded in sandbox.yaml (etcdClientPort, etcdPeerPort). Nothing waits for
// them unless asked: tests call wait_for_etcd_member.
//
// Files: cluster/etcd-<node>.pid while the member runs, cluster/etcd-<node>.log
// its output.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace kuphost::sandbox {

struct EtcdMemberStatus {
  bool running = false;  // the recorded etcd process is alive
  int pid = 0;
  int client_port = 0;   // 0: the node has no member (worker, external etcd, older sandbox)
  int peer_port = 0;
};

// Never throws; an unknown node or sandbox reports nothing running.
EtcdMemberStatus etcd_member_status(const std::filesystem::path &sandbox_dir, const std::string &node);

// Waits until `node`'s member answers GET /health with "health":"true" to
// the node's kubeadm healthcheck-client certificate (/etc/kubernetes/pki/etcd/).
// false and a one-line *error (the last probe's answer, the log's last line)
// after `timeout`. Never throws.
bool wait_for_etcd_member(const std::filesystem::path &sandbox_dir, const std::string &node,
                          std::chrono::milliseconds timeout, std::string *error = nullptr);

}  // namespace kuphost::sandbox
