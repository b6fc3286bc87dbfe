//===- archive/archive_format.h - etcd-backup.archive and file names ---------
//
// File names: <set>.tar, <set>.tar.zst, <set>.tar.gz; encrypted, the same
// with ".kenc" appended (<set>.tar.zst.kenc): the suffix says what to undo
// last, as with .gz. Readers never trust the name: they look for the
// encryption magic and let libarchive detect the compression.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_FORMAT_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_FORMAT_H

#include <optional>
#include <string>
#include <string_view>

namespace kuphost_plugins::etcd_backup {

// Always pax (restricted) tar: ustar headers unless a name or size needs pax.
enum class ArchiveFormat { kTar, kTarZstd, kTarGzip };

inline constexpr std::string_view kEncryptedSuffix = ".kenc";

// The etcd-backup.archive setting: "none" (keep the directory) -> nullopt;
// "tar", "tar.zst", "tar.gz". Throws ArchiveError for anything else.
std::optional<ArchiveFormat> parse_archive_format(std::string_view setting);

// ".tar.zst", or ".tar.zst.kenc" when encrypted.
std::string archive_suffix(ArchiveFormat format, bool encrypted);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_FORMAT_H
