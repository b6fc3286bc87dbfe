//===- etcd-backup/backup_steps.h - what one backup of a control plane does --
//
// The lines `kuphost plan` shows and `apply --dry-run` prints for the backup
// phase, from the same request the apply runs (core/backup_job.h).
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_STEPS_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_STEPS_H

#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "node_backup.h"

namespace kuphost_plugins::etcd_backup {

// Only reads the node. Throws kup::Error(KUP_E_INVALID_CONFIG) when external
// etcd has no endpoints.
std::vector<std::string> backup_steps(const kup::Host &host, const BackupSettings &settings);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_STEPS_H
