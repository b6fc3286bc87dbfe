#include "archive_format.h"

#include "archive_error.h"

namespace kuphost_plugins::etcd_backup {

std::optional<ArchiveFormat> parse_archive_format(std::string_view setting) {
  if (setting == "none") return std::nullopt;
  if (setting == "tar") return ArchiveFormat::kTar;
  if (setting == "tar.zst") return ArchiveFormat::kTarZstd;
  if (setting == "tar.gz") return ArchiveFormat::kTarGzip;
  throw ArchiveError("etcd-backup.archive: unknown value '" + std::string(setting) +
                     "'; expected none, tar, tar.zst or tar.gz");
}

std::string archive_suffix(ArchiveFormat format, bool encrypted) {
  std::string suffix;
  switch (format) {
    case ArchiveFormat::kTar: suffix = ".tar"; break;
    case ArchiveFormat::kTarZstd: suffix = ".tar.zst"; break;
    case ArchiveFormat::kTarGzip: suffix = ".tar.gz"; break;
  }
  if (encrypted) suffix += kEncryptedSuffix;
  return suffix;
}

}  // namespace kuphost_plugins::etcd_backup
