//===- cni-calico/calico_backup_set.h - this run's backup set, when offered
//
// When etcd-backup made a backup set in this run and its
// kuphost.backup-set/1 can take attached files, cni-calico keeps the objects
// it replaces there ("<set>.attached/cni-calico/previous.yaml", applied/...)
// instead of its own directory: one place for everything the run saved,
// verified by `kuphost backup verify`, encrypted with the set, removed by the
// set's retention. The run state then records "set:<set path>".
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_SET_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_SET_H

#include <cstdint>
#include <optional>
#include <string>

#include <kuphost/ext/backup_set.h>
#include <kuphost/kuphost.hpp>

namespace kuphost_plugins::cni_calico {

// The run-state value of a backup kept in a set: "set:" + the set's path.
inline constexpr std::string_view kInSetPrefix = "set:";

class RunBackupSet {
 public:
  // nullopt when there is no table, it cannot attach files (an older
  // etcd-backup) or this run made no set; `why` then says which.
  static std::optional<RunBackupSet> of(const kup_backup_set *table, std::string *why = nullptr);

  const std::string &path() const { return path_; }
  // Stores `bytes` as cni-calico's `name`; returns the stored file's node
  // path. Throws kup::Error with the provider's code and message.
  std::string attach(const std::string &name, const std::string &bytes, uint32_t mode) const;
  // The bytes stored as `name`, checked by the provider. Throws kup::Error.
  std::string read(const std::string &name) const;

 private:
  RunBackupSet(const kup_backup_set *table, std::string path) : table_(table), path_(std::move(path)) {}

  const kup_backup_set *table_;
  std::string path_;
};

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_BACKUP_SET_H
