//===- snapshot/gateway_snapshot.h - a snapshot without etcdctl -------------
//
// For machines without etcdctl: etcd's own v3 JSON gateway on the client
// port (POST /v3/maintenance/snapshot; framing in gateway_stream_decoder.h),
// over mutual TLS. The file gets the same bytes `etcdctl snapshot save`
// writes: the bbolt database followed by its SHA-256 trailer.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_GATEWAY_SNAPSHOT_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_GATEWAY_SNAPSHOT_H

#include <chrono>
#include <cstdint>
#include <filesystem>

#include "etcd_client_tls.h"
#include "snapshot_trailer.h"

namespace kuphost_plugins::etcd_backup {

struct GatewaySnapshot {
  VerifiedSnapshot verified;
  uint64_t messages = 0;  // JSON messages received
};

// Streams a snapshot of `member` into FILE.part, checks its trailer, then
// renames it to `file`. Nothing is left at `file` or FILE.part on failure.
// Throws SnapshotError.
GatewaySnapshot save_snapshot_via_gateway(const EtcdClientTls &member, const std::filesystem::path &file,
                                          std::chrono::milliseconds idle_timeout = std::chrono::seconds(30));

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_GATEWAY_SNAPSHOT_H
