//===- snapshot/snapshot_trailer.h - the SHA-256 trailer of an etcd snapshot --
//
// etcd's Maintenance.Snapshot streams the bbolt file and then one more
// message holding the SHA-256 of everything before it; both etcdctl and our
// gateway client append it to the file. etcdutl's rule (v3_snapshot.go): a
// file has a trailer iff size % 512 == 32 (bbolt pages are multiples of 512),
// and restore fails unless the last 32 bytes equal SHA-256(the rest).
// kubeadm's data-dir copy and a raw member/snap/db have no trailer.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_TRAILER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_TRAILER_H

#include <cstdint>
#include <filesystem>
#include <string>

namespace kuphost_plugins::etcd_backup {

inline constexpr std::uintmax_t kSnapshotTrailerBytes = 32;

// etcdutl's test: whether a file of `size` bytes ends with a SHA-256 trailer.
constexpr bool has_sha256_trailer(std::uintmax_t size) {
  return size >= kSnapshotTrailerBytes && size % 512 == kSnapshotTrailerBytes;
}

struct VerifiedSnapshot {
  std::uintmax_t database_bytes = 0;  // the bbolt file, without the trailer
  std::string sha256_hex;             // = the trailer
};

// Reads `file` once and checks its trailer. Throws SnapshotError naming the
// file: unreadable, no trailer (truncated, or not a snapshot), or a trailer
// that does not match ("...; the file is corrupt").
VerifiedSnapshot verify_snapshot_trailer(const std::filesystem::path &file);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_SNAPSHOT_TRAILER_H
