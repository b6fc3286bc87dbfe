//===- etcd-backup/backup_steps.h - what one backup of a control plane does --
//
// The steps plan shows and the real backup (a later issue) will run: an etcd
// snapshot, which unlike kubeadm's data-directory copy carries a SHA-256
// trailer and restores with etcdutl (etcd.md §2), plus kubeadm's own copy of
// a stacked member's data directory, plus the control plane's files.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_STEPS_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_STEPS_H

#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins::etcd_backup {

// The etcd-backup section of kuphost.yaml.
struct BackupSettings {
  long retention = 3;
  std::string archive = "none";
  std::string encryption_key_file;
  std::vector<std::string> endpoints;  // external etcd; empty = from kube-apiserver.yaml
  std::string directory = "/var/lib/kuphost/backups";
};

// The steps for this node, in order. Reads the static-pod manifests (only
// reads). Throws KUP_E_INVALID_CONFIG when external etcd has no endpoints.
std::vector<std::string> backup_steps(const kup::Host &host, const BackupSettings &settings);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_STEPS_H
