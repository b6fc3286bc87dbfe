//===- archive/verify_archive.h - check an archive without unpacking it ------
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_VERIFY_ARCHIVE_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_VERIFY_ARCHIVE_H

#include <filesystem>
#include <optional>

#include "backup_set/file_system.h"
#include "backup_set/verify_set.h"
#include "encryption_key.h"

namespace kuphost_plugins::etcd_backup {

// Reads `archive_path` once (decrypting with `key`, as unpack_set does),
// hashing every file entry without writing anything to disk, and compares
// the entries with the MANIFEST.sha256 inside, which comes last: the hashes
// are collected first (a few bytes per entry), then compared. Problems use
// verify_set's kinds and describe(): kIncomplete (no manifest), kMissing,
// kExtra (also for an entry that appears twice), kTypeChanged, kModeChanged,
// kSizeChanged, kContentChanged. Throws ArchiveError when the archive cannot
// be read at all: authentication failure, truncation, corrupt compression,
// an entry unpack_set would refuse, a manifest that does not parse.
VerifyReport verify_archive(const std::filesystem::path &archive_path,
                            const std::optional<EncryptionKey> &key = std::nullopt,
                            FileSystem &fs = real_file_system());

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_VERIFY_ARCHIVE_H
