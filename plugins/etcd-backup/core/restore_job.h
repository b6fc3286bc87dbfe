//===- core/restore_job.h - put a stacked member back to a backup -----------
//
// Like kubeadm's recovery, but never over data: the static pods are stopped
// by moving their manifests aside; the member is rebuilt in a fresh
// directory — from the snapshot with snapshot-restore semantics when it is
// the only member, from the data-directory copy when it has peers (it keeps
// its member ID and catches up from them); the old member/ is moved aside,
// not overwritten; the backed-up manifests come back; then etcd must turn
// healthy. A member whose data is newer than the backup is not touched
// unless forced.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_RESTORE_JOB_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_RESTORE_JOB_H

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "backup_catalog.h"
#include "backup_job.h"

namespace kuphost_plugins::etcd_backup {

struct RestoreRequest {
  BackupEntry backup;
  std::string backup_dir;  // for the scratch directory of a packed set
  std::string key_file;    // node path; for encrypted sets
  std::string manifests_dir = "/etc/kubernetes/manifests";
  std::string kubeadm_tmp_dir = "/etc/kubernetes/tmp";
  bool force = false;  // restore even over newer member data
  bool dry_run = false;
  std::chrono::milliseconds stop_timeout{std::chrono::seconds(90)};
  std::chrono::milliseconds health_timeout{std::chrono::minutes(3)};
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

struct RestoreResult {
  std::string source;            // "snapshot" | "data-directory copy"
  std::string old_member;        // where the replaced member/ went (node path); empty if none
  std::string moved_manifests;   // where the running manifests went (node path)
  std::optional<std::int64_t> member_revision, backup_revision;
};

struct Waiting {
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<std::chrono::milliseconds()> elapsed;
};

class RestoreRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws RestoreRefused (nothing changed, or everything put back) or
// BackupError (a step failed; the message says what state the node is in).
RestoreResult run_restore(CommandRunner &runner, const PathResolver &resolve, const Waiting &waiting,
                          const RestoreRequest &request, const Progress &progress);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_RESTORE_JOB_H
