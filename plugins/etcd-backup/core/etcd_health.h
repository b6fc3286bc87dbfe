//===- core/etcd_health.h - is the member up, and how far is its data -------
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ETCD_HEALTH_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ETCD_HEALTH_H

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "snapshot/command_runner.h"
#include "snapshot/etcd_client_tls.h"

namespace kuphost_plugins::etcd_backup {

// `etcdctl endpoint health` with short timeouts; false also when etcdctl is
// missing (then nothing can tell; callers say so).
bool etcd_healthy(CommandRunner &runner, const EtcdClientTls &member);

// The member's current revision (`etcdctl endpoint status -w json`), or
// nullopt when it does not answer.
std::optional<std::int64_t> live_revision(CommandRunner &runner, const EtcdClientTls &member);

// Waits up to `timeout` for etcd_healthy to return `healthy`, sleeping with
// `sleep` between tries. True when it did.
bool wait_for_health(CommandRunner &runner, const EtcdClientTls &member, bool healthy,
                     std::chrono::milliseconds timeout, const std::function<void(std::chrono::milliseconds)> &sleep,
                     const std::function<std::chrono::milliseconds()> &elapsed);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ETCD_HEALTH_H
