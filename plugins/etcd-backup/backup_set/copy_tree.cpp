#include "copy_tree.h"

#include <ctime>
#include <stdexcept>

#include "io.h"
#include "tree_copier.h"

namespace kuphost_plugins::etcd_backup {

std::vector<Entry> copy_tree_hashed(const std::filesystem::path &from, const std::filesystem::path &to,
                                    const CopyOptions &options, FileSystem &fs) {
  bool created_top = false;
  TreeCopier copier(fs, options);
  copier.copy_directory_tree(from, to, ".", created_top);
  return copier.take_entries();
}

Manifest create_backup_set(const std::filesystem::path &from, const std::filesystem::path &set,
                           const CopyOptions &options, FileSystem &fs) {
  Manifest manifest;
  manifest.private_set = options.private_set;
  bool created_top = false;
  try {
    TreeCopier copier(fs, options);
    copier.copy_directory_tree(from, set, ".", created_top);
    manifest.entries = copier.take_entries();
    write_manifest(fs, set, manifest);
  } catch (...) {
    if (created_top && !options.keep_partial_on_failure) {
      try {
        remove_tree(fs, set);
      } catch (...) {
        // The copy's error is the one to report; a leftover set without a
        // manifest is still recognisably incomplete.
      }
    }
    throw;
  }
  return manifest;
}

std::string kubeadm_etcd_backup_name(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  if (::localtime_r(&seconds, &local) == nullptr) throw std::runtime_error("localtime_r failed");
  char stamp[32];
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%d-%H-%M-%S", &local);
  return "kubeadm-backup-etcd-" + std::string(stamp, n);
}

}  // namespace kuphost_plugins::etcd_backup
