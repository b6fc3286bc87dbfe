//===- backup_set/set_builder.h - a set assembled from several sources ------
//
// kuphost's own backup set holds an etcd snapshot written by etcdctl, copies
// of directories (manifests, PKI) and single files (kubelet config,
// repository files) under their node paths, and a small description. The
// builder copies and hashes each as it comes, and MANIFEST.sha256 is written
// by finish() only, so a set without it is known to be incomplete.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_SET_BUILDER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_SET_BUILDER_H

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "copy_tree.h"
#include "file_system.h"
#include "manifest.h"

namespace kuphost_plugins::etcd_backup {

class TreeCopier;

class SetBuilder {
 public:
  // Creates the directory `set` (0700; it must not exist, its parent must).
  SetBuilder(std::filesystem::path set, const CopyOptions &options = {}, FileSystem &fs = real_file_system());
  // Without a successful finish(), removes the set again (unless
  // options.keep_partial_on_failure): a failed backup frees its space.
  ~SetBuilder();
  SetBuilder(const SetBuilder &) = delete;
  SetBuilder &operator=(const SetBuilder &) = delete;

  const std::filesystem::path &path() const { return set_; }
  // `relative`: '/'-separated, inside the set; missing parent directories
  // are created (recorded 0755). Each throws naming the file on failure.
  void add_tree(const std::filesystem::path &from, const std::string &relative);
  void add_file(const std::filesystem::path &from, const std::string &relative);
  // A file another program already wrote at <set>/<relative> (etcdctl's
  // snapshot): hashed, made private, fsynced, recorded.
  void adopt_file(const std::string &relative);
  // Writes <set>/<relative> from memory.
  void write_file(const std::string &relative, std::string_view contents);
  // Writes the manifest (entries sorted, parents first). Once only.
  Manifest finish();

 private:
  void make_parents(const std::string &relative);

  std::filesystem::path set_;
  CopyOptions options_;
  FileSystem &fs_;
  std::unique_ptr<TreeCopier> copier_;
  std::set<std::string> directories_;
  bool finished_ = false;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_SET_BUILDER_H
