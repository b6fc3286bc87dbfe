//===- core/backup_catalog.h - the backups on a node, and retention --------
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_CATALOG_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_CATALOG_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backup_description.h"
#include "backup_names.h"
#include "snapshot_source.h"

namespace kuphost_plugins::etcd_backup {

struct BackupEntry {
  SetName name;
  std::string node_path;  // the set directory or the archive
  bool packed = false;    // an archive (maybe encrypted) rather than a directory
  // A directory with its manifest, or an archive under its final name.
  bool complete = false;
  std::uint64_t bytes = 0;
  std::optional<std::string> etcd_copy, manifests_copy;  // companions that exist
  std::optional<std::string> attached;                    // <set>.attached (attached_files.h), when it exists
  std::optional<BackupDescription> description;         // directories only
};

// Newest first. A missing backup directory is an empty list.
std::vector<BackupEntry> list_backups(const PathResolver &resolve, const std::string &backup_dir,
                                      const std::string &kubeadm_tmp_dir);

// Keeps the `keep` newest complete backups and removes the others with their
// companions and attached files, and every incomplete one (the run lock guarantees nobody is
// still writing it). Returns the node paths removed.
std::vector<std::string> apply_retention(const PathResolver &resolve, const std::string &backup_dir,
                                         const std::string &kubeadm_tmp_dir, long keep);

// The entry named `name` (stem, file name or node path), or the newest
// complete one when `name` is empty. Throws std::runtime_error listing what
// exists when there is no such backup.
BackupEntry find_backup(const PathResolver &resolve, const std::string &backup_dir,
                        const std::string &kubeadm_tmp_dir, const std::string &name);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_CATALOG_H
