//===- archive/pack_set.h - one archive file from a finished backup set ------
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_PACK_SET_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_PACK_SET_H

#include <cstddef>
#include <filesystem>
#include <optional>

#include "archive_format.h"
#include "backup_set/file_system.h"
#include "encrypted_stream.h"
#include "encryption_key.h"

namespace kuphost_plugins::etcd_backup {

struct PackOptions {
  // 0: the filter's default (zstd 3, gzip 6).
  int compression_level = 0;
  std::size_t encryption_chunk_size = kDefaultEncryptionChunkSize;
};

// Writes the entries the manifest of `set` lists, with their modes and
// modification times, then MANIFEST.sha256 as the last entry, into one pax
// tar file `archive_path`, compressed as `format` asks and, with a key,
// encrypted (encrypted_stream.h). Streams: memory stays a few MiB whatever
// the set's size. Every file is hashed as it is packed and must match the
// manifest (type, mode, size, SHA-256), so an archive never holds a set that
// would fail verify_set; entries on disk that the manifest does not list are
// left out. The archive is written to partial_name_for(archive_path),
// fsynced, renamed (mode 0600: a snapshot holds every Secret) and the
// directory fsynced: a crash never leaves an incomplete file under
// `archive_path`. Refuses an existing `archive_path` and a set without
// manifest. Throws ArchiveError, ManifestError, or std::system_error for I/O.
void pack_set(const std::filesystem::path &set, const std::filesystem::path &archive_path, ArchiveFormat format,
              const std::optional<EncryptionKey> &key = std::nullopt, const PackOptions &options = {},
              FileSystem &fs = real_file_system());

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_PACK_SET_H
