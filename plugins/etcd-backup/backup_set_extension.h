// kuphost.backup-set/1 (sdk ext/backup_set.h) as etcd-backup serves it:
// this run's set, and the node files it holds, so the certs plugin keeps its
// "before" copies in the same set and restores from it, and other plugins
// (cni-calico) attach files of their own (core/attached_files.h).
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_EXTENSION_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_EXTENSION_H

#include <kuphost/ext/backup_set.h>
#include <kuphost/kuphost.hpp>

#include <map>
#include <optional>
#include <string>

#include "core/backup_catalog.h"
#include "node_backup.h"

namespace kuphost_plugins::etcd_backup {

class BackupSetTable {
 public:
  // `host` and `settings` are the plugin's own; both outlive the table.
  BackupSetTable(kup::Host host, const BackupSettings &settings);
  BackupSetTable(const BackupSetTable &) = delete;
  BackupSetTable &operator=(const BackupSetTable &) = delete;

  const kup_backup_set *table() const noexcept { return &table_; }

 private:
  static kup_status KUP_ABI current_cb(const kup_backup_set *self, const kup_sink *out, const kup_error *error);
  static kup_status KUP_ABI read_file_cb(const kup_backup_set *self, kup_str path, const kup_sink *out,
                                         const kup_error *error);
  static kup_status KUP_ABI attach_file_cb(const kup_backup_set *self, kup_str plugin_id, kup_str name,
                                           const void *bytes, size_t len, uint32_t mode, const kup_sink *out_path,
                                           const kup_error *error);
  static kup_status KUP_ABI read_attached_cb(const kup_backup_set *self, kup_str plugin_id, kup_str name,
                                             const kup_sink *out, const kup_error *error);
  // This run's complete set; throws kup::Error(KUP_E_NOT_FOUND) when none.
  BackupEntry current_set() const;

  kup::Host host_;
  const BackupSettings &settings_;
  kup_backup_set table_{};
  std::optional<std::map<std::string, std::string>> files_;  // read once, on first use
  std::string files_of_;    // the name of the set they came from (the run state's "set")
  std::string files_path_;  // its node path
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_EXTENSION_H
