//===- etcd-backup/backup_commands.h - `kuphost backup list|verify|restore` --
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_COMMANDS_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_COMMANDS_H

#include <functional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "node_backup.h"

namespace kuphost_plugins::etcd_backup {

inline constexpr const char *kBackupUsage =
    "backup list | backup verify [SET] | backup restore [SET] [--force] [-y] [--dry-run]";

template <class Plugin>
std::vector<kup::CommandSpec> backup_command_specs() {
  kup::CommandSpec backup;
  backup.name = "backup";
  backup.usage = kBackupUsage;
  backup.summary =
      "List, verify and restore this node's etcd and control-plane backups (SET: a name from `backup list`; "
      "default the newest complete one)";
  backup.run = kup::command<&Plugin::backup_command>();
  // Reports: no run lock (they work while an upgrade runs), no run record.
  backup.read_only_words = {"list", "verify"};
  return {backup};
}

// Throws kup::Error for bad usage (KUP_E_INVALID_ARGUMENT), a backup that does
// not verify (KUP_E_DECODE) or a failed restore.
void run_backup_command(const kup::Host &host, const BackupSettings &settings, const kup::CommandCall &call);

// Restores backup `name` ("" = newest complete) on this node. Throws kup::Error.
void restore_backup(const kup::Host &host, const BackupSettings &settings, const std::string &name, bool force,
                    bool dry_run, const std::function<void(const std::string &)> &progress);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_COMMANDS_H
