//===- backup_set/restore_tree.h - copy a set back, verifying as it goes -----
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_RESTORE_TREE_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_RESTORE_TREE_H

#include <filesystem>
#include <stdexcept>

#include "file_system.h"
#include "hashing_copier.h"

namespace kuphost_plugins::etcd_backup {

class RestoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Copies the entries the manifest of `set` lists to `to`, with the source's
// modes and modification times, hashing each file in the same read that
// copies it. `to` must be missing or an empty directory: kubeadm's copy-back
// over a live member/ leaves etcd refusing to start (etcd.md §1,
// kubernetes/kubernetes#65580), so a directory with data is never touched.
// Files appear complete (partial name, fsync, rename). Throws RestoreError
// for a set without manifest, a target with data, and a file whose bytes or
// size differ from the manifest (naming it); on any failure everything this
// call created under `to` is removed again. Owner: whoever runs it (root).
void restore_tree(const std::filesystem::path &set, const std::filesystem::path &to,
                  const StreamOptions &options = {}, FileSystem &fs = real_file_system());

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_RESTORE_TREE_H
