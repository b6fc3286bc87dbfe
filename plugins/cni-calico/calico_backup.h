//===- cni-calico/calico_backup.h - the objects an upgrade replaces, kept for rollback
//
// Before the new manifests are applied, the current state of every object
// they name (kubectl get, server-owned fields stripped) goes into
// /etc/kubernetes/tmp/kuphost-backup-calico-<timestamp>/ (0700) beside
// kubeadm's own backups: previous.yaml, a copy of each manifest about to be
// applied under applied/, and MANIFEST ("0600 <sha256> <node path>" lines,
// written last, as the certs plugin's backups). Rollback checks MANIFEST and
// re-applies previous.yaml with server-side apply.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_H

#include <cstdint>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "calico_staging.h"

namespace kuphost_plugins::cni_calico {

inline constexpr const char *kBackupParent = "/etc/kubernetes/tmp";

// "kuphost-backup-calico-2026-11-27-07-10-00" (kubeadm's timestamp layout).
std::string backup_name(int64_t now_unix);

// `kubectl apply --server-side --force-conflicts -f FILE` for a node path.
std::vector<std::string> apply_argv(const kup::Host &host, const std::string &node_file);
// Runs it; throws kup::Error KUP_E_COMMAND_FAILED with kubectl's last line.
void apply_manifest(const kup::Host &host, const std::string &node_file);

struct CalicoBackup {
  std::string dir;       // node path
  size_t objects = 0;    // objects in previous.yaml
  size_t named = 0;      // objects the manifests name
};

// Saves what `files` would replace. Throws kup::Error (nothing applied yet)
// when a manifest does not parse or kubectl cannot answer.
CalicoBackup write_backup(const kup::Host &host, const std::vector<std::string> &files, const Progress &progress);

// Checks dir/MANIFEST, then re-applies dir/previous.yaml. Returns how many
// objects it re-applied (0: the manifests named nothing that existed).
size_t reapply_backup(const kup::Host &host, const std::string &dir, const Progress &progress);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_H
