//===- core/backup_description.h - backup.yaml inside a set ----------------
//
// What a restore needs to know without asking a (possibly broken) cluster:
// the member's name, data directory and peer URL, the snapshot's revision,
// and where the companions in kubeadm's layout are.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_DESCRIPTION_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_DESCRIPTION_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost_plugins::etcd_backup {

inline constexpr std::string_view kDescriptionName = "backup.yaml";
inline constexpr std::string_view kSnapshotName = "etcd-snapshot.db";
inline constexpr std::string_view kDataCopyInSet = "etcd-data";  // encrypted sets: the data dir inside
inline constexpr std::string_view kFilesInSet = "files";

struct BackupDescription {
  std::string node, created, kubernetes_version;
  std::string topology;  // stacked | external
  std::string endpoint, method;
  std::string snapshot_sha256;
  std::int64_t revision = -1, total_keys = -1;  // -1: snapshot status unavailable
  std::uint64_t snapshot_bytes = 0;
  std::string member_name, data_dir, peer_url, initial_cluster;
  std::size_t cluster_size = 1;
  std::string etcd_copy, manifests_copy;  // node paths; empty when none
  bool data_copy_in_set = false;
  std::vector<std::string> files;  // node paths under files/
};

std::string format_description(const BackupDescription &description);
// Throws std::runtime_error when the text is not a description.
BackupDescription parse_description(std::string_view text);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_DESCRIPTION_H
