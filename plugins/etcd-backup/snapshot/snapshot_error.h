//===- snapshot/snapshot_error.h - why a snapshot could not be taken or used --
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_ERROR_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_ERROR_H

#include <stdexcept>

namespace kuphost_plugins::etcd_backup {

// The message is complete and meant for the operator (names the file or the
// endpoint and what went wrong).
class SnapshotError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_ERROR_H
