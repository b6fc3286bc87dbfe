//===- archive/archive_error.h - the one error type of the archive library ---
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_ERROR_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_ERROR_H

#include <stdexcept>

namespace kuphost_plugins::etcd_backup {

// A one-line message that names the file (and the entry or chunk) at fault:
// a bad key file, an archive that fails authentication or does not parse, an
// unsafe entry name, a set that does not match its manifest. I/O failures
// stay std::system_error (io.h), so callers can tell ENOSPC from a bad file.
class ArchiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_ERROR_H
