//===- core/free_space.h - will the backup fit? -----------------------------
//
// Checked before anything is written, so a full disk fails the preflight
// with the size it needs instead of half-way through a copy of etcd.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_FREE_SPACE_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_FREE_SPACE_H

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kuphost_plugins::etcd_backup {

struct SpaceNeed {
  std::string node_dir;           // where it is written, as the operator knows it
  std::filesystem::path host_dir; // the same, as this process opens it (may not exist yet)
  std::uint64_t bytes = 0;
  std::string what;               // "etcd snapshot 512 MiB + control-plane files 1.2 MiB"
  std::string advice;             // besides freeing space: "set etcd-backup.directory to …"
};

// Bytes in regular files under `path` (0 when missing); symlinks not followed.
std::uint64_t tree_bytes(const std::filesystem::path &path);
// "1.5 GiB", "12 MiB", "900 KiB", "12 B".
std::string human_bytes(std::uint64_t bytes);

// Sums the needs per filesystem (that of the nearest existing ancestor of
// each directory) and compares them with f_bavail: root could also use the
// reserved blocks, but a root filesystem filled to the last block breaks the
// node. Throws std::runtime_error naming the directory, the size it needs
// and what it has.
void check_free_space(const std::vector<SpaceNeed> &needs);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_FREE_SPACE_H
