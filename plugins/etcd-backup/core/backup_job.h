//===- core/backup_job.h - one backup of a control-plane node ---------------
//
// In order: a verified etcd snapshot into kuphost's set; for a stacked
// member, a copy of its data directory in kubeadm's layout (or, when the set
// is encrypted, inside the set: a plaintext copy would defeat the
// encryption); kubeadm's manifests layout; the control plane's files; the
// set's description and its manifest, last. Then packing, retention.
// Everything is checked before anything is written: free space first.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_JOB_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_JOB_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "etcd_member.h"
#include "pack.h"
#include "snapshot_source.h"

namespace kuphost_plugins::etcd_backup {

struct BackupRequest {
  EtcdMember etcd;
  std::string node_name;
  std::string kubernetes_version;  // for the description; may be empty
  std::string backup_dir;          // node path of kuphost's sets
  std::string kubeadm_tmp_dir = "/etc/kubernetes/tmp";
  std::string manifests_dir = "/etc/kubernetes/manifests";
  // Node paths copied into the set under files/<path>: directories and
  // single files; missing ones are noted, not errors (a worker-turned-
  // control-plane may lack a kubeconfig).
  std::vector<std::string> trees, files;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  EtcdctlSettings etcdctl;
  PackSettings pack;  // archive format and encryption key
  long retention = 3;
};

struct BackupResult {
  std::string name;      // kuphost-backup-<ts>
  std::string set_path;  // node path: the directory, or the archive when packed
  std::optional<std::string> etcd_copy;       // kubeadm-backup-etcd-<ts>, stacked
  std::optional<std::string> manifests_copy;  // kubeadm-backup-manifests-<ts>
  SnapshotOutcome snapshot;
  std::uint64_t set_bytes = 0, etcd_copy_bytes = 0;
  std::vector<std::string> missing;  // sources that were not there
  std::vector<std::string> removed;  // node paths retention removed
};

using Progress = std::function<void(const std::string &line)>;

// Throws BackupError (one line for the operator) and leaves no set that
// claims to be complete; what it created is removed again.
BackupResult run_backup(CommandRunner &runner, const PathResolver &resolve, const BackupRequest &request,
                        const Progress &progress);

class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_JOB_H
