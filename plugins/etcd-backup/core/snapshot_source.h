//===- core/snapshot_source.h - one verified snapshot, whichever way works ---
//
// The ways to reach the etcd v3 API, in the order the issue and operators
// expect: `etcdctl` on the node's PATH; else `crictl exec` into the running
// etcd container (kubeadm's etcd image ships etcdctl, and the container sees
// the data directory at the same path); else etcd's own v3 JSON gateway over
// TLS from this process. Each result is checked against its SHA-256 trailer.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SNAPSHOT_SOURCE_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SNAPSHOT_SOURCE_H

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "etcd_member.h"
#include "snapshot/command_runner.h"
#include "snapshot/etcdctl_snapshot.h"
#include "snapshot/snapshot_status.h"
#include "snapshot/snapshot_trailer.h"

namespace kuphost_plugins::etcd_backup {

// Node path -> path this process opens (identity on a real node; the node
// root in a sandbox).
using PathResolver = std::function<std::filesystem::path(const std::string &node_path)>;

enum class SnapshotMethod { kEtcdctl, kCrictl, kGateway };
const char *method_name(SnapshotMethod method);

struct SnapshotRequest {
  std::string node_file;  // where the snapshot goes, as a node path
  EtcdctlSettings etcdctl;
  bool allow_crictl = true;   // stacked members only
  bool allow_gateway = true;
};

struct SnapshotOutcome {
  SnapshotMethod method = SnapshotMethod::kEtcdctl;
  std::string endpoint;
  VerifiedSnapshot verified;
  // From `etcdutl|etcdctl snapshot status`; nullopt when neither is there.
  std::optional<SnapshotStatus> status;
  std::vector<std::string> notes;  // endpoints or ways tried before, and why they failed
};

// Throws SnapshotError listing every way tried when none gave a verified
// snapshot; no file is left at node_file then.
SnapshotOutcome take_snapshot(CommandRunner &runner, const EtcdMember &member, const SnapshotRequest &request,
                              const PathResolver &resolve);

// `etcdutl snapshot status`, else `etcdctl snapshot status` (3.4/3.5);
// nullopt when neither program is installed.
std::optional<SnapshotStatus> snapshot_status(CommandRunner &runner, const std::string &node_file);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SNAPSHOT_SOURCE_H
