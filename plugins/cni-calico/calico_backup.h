//===- cni-calico/calico_backup.h - the objects an upgrade replaces, kept for rollback
//
// Before the new manifests are applied, the current state of every object
// they name (kubectl get, server-owned fields stripped) goes into
// /etc/kubernetes/tmp/kuphost-backup-calico-<timestamp>/ (0700) beside
// kubeadm's own backups: previous.yaml, a copy of each manifest about to be
// applied under applied/, and MANIFEST ("0600 <sha256> <node path>" lines,
// written last, as the certs plugin's backups). Rollback checks MANIFEST and
// re-applies previous.yaml with server-side apply.
//
// When etcd-backup made this run's backup set and can take attached files
// (calico_backup_set.h), the same files go into the set instead
// (previous.yaml last) and the record is "set:<set path>"; rollback reads
// previous.yaml back through the extension, checked (and decrypted) by it,
// and applies it from stdin, so no plaintext copy is left on disk.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_H

#include <cstdint>
#include <string>
#include <vector>

#include <kuphost/ext/backup_set.h>
#include <kuphost/kuphost.hpp>

#include "calico_staging.h"

namespace kuphost_plugins::cni_calico {

inline constexpr const char *kBackupParent = "/etc/kubernetes/tmp";

// "kuphost-backup-calico-2026-11-27-07-10-00" (kubeadm's timestamp layout).
std::string backup_name(int64_t now_unix);

// `kubectl apply --server-side --force-conflicts -f FILE` for a node path
// ("-": stdin).
std::vector<std::string> apply_argv(const kup::Host &host, const std::string &node_file);
// Runs it (`stdin_data` for "-"); throws kup::Error KUP_E_COMMAND_FAILED with
// kubectl's last line.
void apply_manifest(const kup::Host &host, const std::string &node_file, const std::string &stdin_data = {});

struct CalicoBackup {
  std::string record;         // what the run state keeps: the directory, or "set:<set path>"
  std::string previous_yaml;  // node path of the saved objects (in a set: as stored, maybe .kenc)
  size_t objects = 0;         // objects in previous.yaml
  size_t named = 0;           // objects the manifests name
};

// "the backup set <path>" or the directory, for messages.
std::string describe_backup(const std::string &record);

// Saves what `files` would replace: into this run's backup set when `set`
// (may be NULL) has one and takes attached files, otherwise (also when
// attaching fails, with a warning) into its own directory. Throws kup::Error
// (nothing applied yet) when a manifest does not parse or kubectl cannot
// answer.
CalicoBackup write_backup(const kup::Host &host, const std::vector<std::string> &files, const Progress &progress,
                          const kup_backup_set *set = nullptr);

// Checks the backup `record` names (MANIFEST, or the set's own check), then
// re-applies previous.yaml. Returns how many objects it re-applied (0: the
// manifests named nothing that existed).
size_t reapply_backup(const kup::Host &host, const std::string &record, const Progress &progress,
                      const kup_backup_set *set = nullptr);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_H
