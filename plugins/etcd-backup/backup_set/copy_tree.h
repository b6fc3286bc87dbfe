//===- backup_set/copy_tree.h - copy a directory tree, hashing as it goes ----
//
// The backup half of a backup set: kubeadm's copy of the etcd data directory
// (etcd.md §1), but every file is read once, hashed with SHA-256 while it is
// written, fsynced, and appears under its name only when complete; the
// manifest (manifest.h) follows last.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_COPY_TREE_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_COPY_TREE_H

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "entry.h"
#include "file_system.h"
#include "hashing_copier.h"
#include "manifest.h"

namespace kuphost_plugins::etcd_backup {

struct CopyOptions {
  // Files 0600 and directories 0700 in the copy; the manifest keeps the
  // source's modes for the restore. Owner: whoever runs the copy (root).
  bool private_set = true;
  StreamOptions stream;
  // create_backup_set only: keep what was copied when it fails (a set with
  // no manifest) instead of freeing the disk space.
  bool keep_partial_on_failure = false;
};

// Copies the directory `from` to `to`, which must not exist yet (its parent
// must). Regular files, directories and symlinks; anything else (a socket, a
// device) is an error. Every file is written to a hidden partial name,
// fsynced and renamed; directories are fsynced after their contents. Returns
// every entry, "." (the top) first, parents before their contents, names in
// byte order. On failure throws; files already complete stay in `to`, the one
// in progress is removed. Sizes and hashes are of the bytes copied, so a file
// that grows meanwhile (a live etcd's WAL) is recorded as copied.
std::vector<Entry> copy_tree_hashed(const std::filesystem::path &from, const std::filesystem::path &to,
                                    const CopyOptions &options = {}, FileSystem &fs = real_file_system());

// copy_tree_hashed, then the manifest. On failure `set` is removed (it was
// created by this call) unless options.keep_partial_on_failure.
Manifest create_backup_set(const std::filesystem::path &from, const std::filesystem::path &set,
                           const CopyOptions &options = {}, FileSystem &fs = real_file_system());

// kubeadm's name for its etcd backup: "kubeadm-backup-etcd-" and the local
// time in Go's layout 2006-01-02-15-04-05 (kubeadm-upgrade.md §2.2).
std::string kubeadm_etcd_backup_name(std::chrono::system_clock::time_point when);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_COPY_TREE_H
