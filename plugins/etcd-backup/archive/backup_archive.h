//===- archive/backup_archive.h - a backup set as one (encrypted) file -------
//
// etcd-backup.archive (none|tar|tar.zst|tar.gz) and
// etcd-backup.encryption-key-file: pack_set turns a finished backup set
// (backup_set/backup_set.h) into one archive file, optionally encrypted with
// AES-256-GCM (encrypted_stream.h, FORMAT.md); unpack_set and
// verify_archive read it back. A snapshot holds every Secret of the cluster
// (etcd.md §4), hence encryption at rest and 0600 archives.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_BACKUP_ARCHIVE_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_BACKUP_ARCHIVE_H

#include "archive_error.h"
#include "archive_format.h"
#include "encryption_key.h"
#include "pack_set.h"
#include "unpack_set.h"
#include "verify_archive.h"

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_BACKUP_ARCHIVE_H
