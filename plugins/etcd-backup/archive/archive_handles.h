//===- archive/archive_handles.h - owning pointers for libarchive objects ----
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_HANDLES_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_HANDLES_H

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace kuphost_plugins::etcd_backup {

// archive_write_free closes first (flushing); callers close explicitly to
// see errors, so the free in a destructor only runs on the error path.
struct FreeArchiveWriter {
  void operator()(archive *a) const { archive_write_free(a); }
};
struct FreeArchiveReader {
  void operator()(archive *a) const { archive_read_free(a); }
};
struct FreeArchiveEntry {
  void operator()(archive_entry *e) const { archive_entry_free(e); }
};

using ArchiveWriter = std::unique_ptr<archive, FreeArchiveWriter>;
using ArchiveReader = std::unique_ptr<archive, FreeArchiveReader>;
using ArchiveEntryHandle = std::unique_ptr<archive_entry, FreeArchiveEntry>;

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ARCHIVE_HANDLES_H
