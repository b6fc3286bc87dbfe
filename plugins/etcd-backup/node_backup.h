//===- etcd-backup/node_backup.h - the core's requests for this node --------
//
// Everything the backup and restore jobs need, read from the node through
// the host: the etcd member (stacked or external, by the etcd.topology
// fact), the files of the control plane, the settings.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_NODE_BACKUP_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_NODE_BACKUP_H

#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "core/backup_job.h"
#include "core/restore_job.h"

namespace kuphost_plugins::etcd_backup {

// The etcd-backup section of kuphost.yaml.
struct BackupSettings {
  long retention = 3;
  std::string archive = "none";
  std::string encryption_key_file;
  std::vector<std::string> endpoints;  // external etcd; empty = from kube-apiserver.yaml
  std::string directory = "/var/lib/kuphost/etcd-backups";
};

inline constexpr const char *kKubeadmTmp = "/etc/kubernetes/tmp";
inline constexpr const char *kManifests = "/etc/kubernetes/manifests";

// Node path -> the path this process opens (the sandbox maps it).
PathResolver node_paths(const kup::Host &host);

// Throws kup::Error(KUP_E_INVALID_CONFIG | KUP_E_PREREQUISITE_MISSING).
EtcdMember etcd_of(const kup::Host &host, const BackupSettings &settings);
BackupRequest backup_request(const kup::Host &host, const BackupSettings &settings);
Waiting host_waiting(const kup::Host &host);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_NODE_BACKUP_H
