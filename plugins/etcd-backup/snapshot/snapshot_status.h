//===- snapshot/snapshot_status.h - what `snapshot status -w json` reports ---
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_STATUS_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_STATUS_H

#include <cstdint>
#include <string>
#include <string_view>

namespace kuphost_plugins::etcd_backup {

// `etcdctl snapshot status FILE -w json` (3.4, 3.5) or `etcdutl ...` (3.5+):
// {"hash":3579503453,"revision":4,"totalKey":7,"totalSize":20480}, plus
// "version" from etcdutl 3.6. `hash` is a CRC32-C over the keys and values,
// not the SHA-256 trailer (etcd.md §2).
struct SnapshotStatus {
  uint32_t hash = 0;
  int64_t revision = 0;
  int64_t total_keys = 0;
  int64_t total_size = 0;
  std::string storage_version;  // empty before 3.6
};

// Throws SnapshotError when `json` is not such an object.
SnapshotStatus parse_snapshot_status_json(std::string_view json);

// "revision 10001, 10004 keys, 2.0 MB": for the backup's log line.
std::string describe(const SnapshotStatus &status);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_STATUS_H
