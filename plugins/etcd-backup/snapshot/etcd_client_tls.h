//===- snapshot/etcd_client_tls.h - one etcd member and how to reach it -----
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_ETCD_CLIENT_TLS_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_ETCD_CLIENT_TLS_H

#include <filesystem>
#include <string>

namespace kuphost_plugins::etcd_backup {

// A snapshot comes from exactly one member (etcd.md §3), so one endpoint.
// kubeadm's stacked members want a client certificate signed by etcd/ca.crt
// (--client-cert-auth): etcd/healthcheck-client or apiserver-etcd-client.
struct EtcdClientTls {
  std::string endpoint;  // https://HOST:PORT
  std::filesystem::path ca_cert;
  std::filesystem::path client_cert;  // empty = present no client certificate
  std::filesystem::path client_key;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_ETCD_CLIENT_TLS_H
