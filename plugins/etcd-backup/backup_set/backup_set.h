//===- backup_set/backup_set.h - verified copies of a directory tree ---------
//
// A backup set is a copy of a directory (the etcd data directory, in
// kubeadm's layout /etc/kubernetes/tmp/kubeadm-backup-etcd-<ts>) plus
// MANIFEST.sha256, written last, that lists every entry with size, mode and
// SHA-256. create_backup_set makes one, verify_set checks one, restore_tree
// copies one back. All disk access goes through FileSystem (file_system.h).
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_BACKUP_SET_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_BACKUP_SET_H

#include "copy_tree.h"
#include "entry.h"
#include "file_system.h"
#include "manifest.h"
#include "restore_tree.h"
#include "set_builder.h"
#include "verify_set.h"

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_BACKUP_SET_H
