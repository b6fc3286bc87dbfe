//===- backup_set/tree_copier.h - the copying walk behind sets --------------
//
// Internal to the backup_set library: copy_tree_hashed and SetBuilder both
// walk a source tree with it and collect the entries for the manifest.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_TREE_COPIER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_TREE_COPIER_H

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "copy_tree.h"
#include "entry.h"
#include "file_system.h"
#include "hashing_copier.h"

namespace kuphost_plugins::etcd_backup {

class TreeCopier {
 public:
  TreeCopier(FileSystem &fs, const CopyOptions &options);

  // Creates `to` (which must not exist) and copies the directory `from` into
  // it; entries are named under `relative` ("." for a set's top).
  // `created_top` turns true once `to` exists because of this call, so a
  // caller never removes a directory somebody else made.
  void copy_directory_tree(const std::filesystem::path &from, const std::filesystem::path &to,
                           const std::string &relative, bool &created_top);
  // Copies one regular file to `to` (a partial name until complete).
  void copy_file(const std::filesystem::path &from, const std::filesystem::path &to, const std::string &relative);
  // Hashes a file already in place (written by another program) and fsyncs it.
  void adopt_file(const std::filesystem::path &path, const std::string &relative);
  // Records a directory this caller created itself.
  void add_directory_entry(const std::string &relative, mode_t mode);

  std::vector<Entry> take_entries() { return std::move(entries_); }

 private:
  void make_directory(const std::filesystem::path &to);
  void copy_directory(const std::filesystem::path &from, const std::filesystem::path &to, const std::string &relative,
                      const struct stat &status);
  void copy_symlink(const std::filesystem::path &from, const std::filesystem::path &to, const std::string &relative,
                    const struct stat &status);

  FileSystem &fs_;
  CopyOptions options_;
  HashingCopier copier_;
  std::vector<Entry> entries_;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_TREE_COPIER_H
