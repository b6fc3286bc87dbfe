//===- core/set_packing.h - a finished set into one archive, and back -------
//
// The job's side of archive/backup_archive.h: names, keys read through the
// node's paths, the archive verified before the directory goes.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SET_PACKING_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SET_PACKING_H

#include <filesystem>
#include <string>

#include "backup_set/verify_set.h"
#include "pack.h"
#include "snapshot_source.h"

namespace kuphost_plugins::etcd_backup {

// Reads and checks the key file (32 raw bytes or 64 hex digits, mode 0600)
// now, so a bad key fails before anything is written. Throws ArchiveError.
void check_key_file(const PathResolver &resolve, const std::string &key_file_node);

// Packs the complete set directory `set_node` into <set>.tar.zst|.tar.gz
// (+ .kenc when encrypted; encryption alone packs as tar.zst), verifies the
// archive against the manifest inside it and only then removes the
// directory. Returns the archive's node path.
std::string pack_finished_set(const PathResolver &resolve, const std::string &set_node, const PackSettings &settings);

// Streams the archive once against the manifest inside it.
VerifyReport verify_packed_set(const PathResolver &resolve, const std::string &archive_node,
                               const std::string &key_file_node);

// Unpacks (and decrypts) into `to_host` (missing or empty) and verifies it.
void unpack_set_to(const PathResolver &resolve, const std::string &archive_node, const std::string &key_file_node,
                   const std::filesystem::path &to_host);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SET_PACKING_H
