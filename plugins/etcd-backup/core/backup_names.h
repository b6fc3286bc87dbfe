//===- core/backup_names.h - how backups are named on disk ------------------
//
// One backup of a node is up to three directories sharing one timestamp in
// kubeadm's layout (2006-01-02-15-04-05, local time), so that they sort
// together and retention removes them together:
//   <directory>/kuphost-backup-<ts>[.tar.zst|.tar.gz][.kenc]  kuphost's set
//   /etc/kubernetes/tmp/kubeadm-backup-etcd-<ts>/etcd/        kubeadm's layout
//   /etc/kubernetes/tmp/kubeadm-backup-manifests-<ts>/        kubeadm's layout
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_NAMES_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_NAMES_H

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost_plugins::etcd_backup {

inline constexpr std::string_view kSetPrefix = "kuphost-backup-";
inline constexpr std::string_view kKubeadmEtcdPrefix = "kubeadm-backup-etcd-";
inline constexpr std::string_view kKubeadmManifestsPrefix = "kubeadm-backup-manifests-";

// "2026-11-27-03-10-00" in local time, as kubeadm names its backups.
std::string kubeadm_timestamp(std::chrono::system_clock::time_point when);

struct SetName {
  std::string stem;       // kuphost-backup-<ts>[-N]
  std::string timestamp;  // <ts>[-N]
  std::string suffix;     // "", ".tar.zst", ".tar.gz.kenc", ...
};
// "" (a directory) and every archive suffix a set can have.
const std::vector<std::string> &set_suffixes();

// nullopt for names that are not a set (partial files, other programs').
std::optional<SetName> parse_set_name(std::string_view file_name);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_BACKUP_NAMES_H
