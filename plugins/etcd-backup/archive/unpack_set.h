//===- archive/unpack_set.h - an archive back into a verified backup set -----
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_UNPACK_SET_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_UNPACK_SET_H

#include <filesystem>
#include <optional>

#include "backup_set/file_system.h"
#include "encryption_key.h"

namespace kuphost_plugins::etcd_backup {

// Decrypts (with `key`, required for an encrypted file and refused with a
// plain one), decompresses and extracts `archive_path` into `to`, which must
// be missing or an empty directory, then checks the result with verify_set.
// Refuses unsafe entries before they touch the disk (entry_names.h):
// absolute names, "..", symlinks that leave the set, hard links, devices,
// anything placed below something other than a directory unpacked before
// it. Directories are created 0700 and get their archived mode at the end;
// files appear complete (partial name, fsync, rename), with their archived
// mode (set-user-ID, set-group-ID and sticky bits dropped) and mtime. Owner:
// the caller (root). On any failure everything this call created under `to`
// is removed again, so a wrong key or a corrupted archive leaves nothing.
// Throws ArchiveError (one line, naming the file and chunk or entry) or
// std::system_error for I/O.
void unpack_set(const std::filesystem::path &archive_path, const std::filesystem::path &to,
                const std::optional<EncryptionKey> &key = std::nullopt, FileSystem &fs = real_file_system());

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_UNPACK_SET_H
