//===- snapshot/etcdctl_snapshot.h - snapshots through the etcdctl binary ----
//
// `etcdctl snapshot save` has the same flags and output in 3.4, 3.5 and 3.6
// ("Snapshot saved at FILE"; 3.5+ adds zap log lines on stderr). `snapshot
// status` exists in etcdctl 3.4/3.5 (deprecated in 3.5) and etcdutl 3.5+,
// removed from etcdctl 3.6: the same arguments work for both programs, so the
// caller picks which one to run.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_ETCDCTL_SNAPSHOT_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_ETCDCTL_SNAPSHOT_H

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "command_runner.h"
#include "etcd_client_tls.h"
#include "snapshot_status.h"

namespace kuphost_plugins::etcd_backup {

struct EtcdctlSettings {
  std::string etcdctl = "etcdctl";  // program name (PATH) or path
  // etcdctl's own limits: how long to wait for a connection, and for the
  // whole snapshot. Observed with etcdctl 3.4.23: a member that refuses the
  // client certificate is retried until --command-timeout expires, whatever
  // --dial-timeout says, so a refused snapshot takes the full command_timeout.
  std::chrono::milliseconds dial_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds command_timeout{std::chrono::minutes(5)};
};

// The argv of `etcdctl ... snapshot save FILE` (also shown by plans).
std::vector<std::string> etcdctl_snapshot_save_argv(const EtcdctlSettings &settings, const EtcdClientTls &member,
                                                    const std::filesystem::path &file);

// Saves a snapshot of `member` to `file` (etcdctl writes FILE.part, then
// renames). Throws SnapshotError with etcdctl's error line when it fails.
// Does not check the trailer: see verify_snapshot_trailer. `file_here`:
// the same file as this process opens it, when etcdctl runs on a node whose
// paths differ (a sandbox); empty = `file`.
void save_snapshot_with_etcdctl(CommandRunner &runner, const EtcdctlSettings &settings,
                                const EtcdClientTls &member, const std::filesystem::path &file,
                                const std::filesystem::path &file_here = {});

// `PROGRAM snapshot status FILE -w json`, PROGRAM = etcdctl (3.4, 3.5) or
// etcdutl (3.5+). Throws SnapshotError when it fails or prints no status.
SnapshotStatus read_snapshot_status(CommandRunner &runner, const std::string &program,
                                    const std::filesystem::path &file);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_ETCDCTL_SNAPSHOT_H
