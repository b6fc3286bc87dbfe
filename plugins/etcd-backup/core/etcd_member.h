//===- core/etcd_member.h - which etcd this node backs up, and how ----------
//
// Read from the static-pod manifests, as kubeadm wrote them: a stacked
// member from etcd.yaml (reached on loopback with the health-check client
// certificate kubeadm makes for exactly this), external etcd from
// kube-apiserver.yaml's --etcd-servers and client certificate. All paths are
// node paths.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ETCD_MEMBER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ETCD_MEMBER_H

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/etcd_client_tls.h"

namespace kuphost_plugins::etcd_backup {

struct EtcdMember {
  bool stacked = true;
  // Where to take the snapshot from, in order of preference (external etcd:
  // every configured endpoint; stacked: the local member on loopback).
  std::vector<EtcdClientTls> endpoints;
  // Stacked only: what a snapshot restore needs to recreate this member.
  std::string name;              // --name
  std::string data_dir;          // --data-dir
  std::string peer_url;          // --initial-advertise-peer-urls
  std::string initial_cluster;   // --initial-cluster as written at join
  std::size_t cluster_size = 1;  // members named in --initial-cluster
};

class MemberConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `etcd_yaml`: the text of /etc/kubernetes/manifests/etcd.yaml.
EtcdMember stacked_member(std::string_view etcd_yaml);
// `apiserver_yaml`: kube-apiserver.yaml; `configured`: etcd-backup.endpoints
// (empty: take --etcd-servers). Throws MemberConfigError naming what to set.
EtcdMember external_cluster(std::string_view apiserver_yaml, const std::vector<std::string> &configured);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ETCD_MEMBER_H
