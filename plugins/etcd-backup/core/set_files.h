// The node files a complete backup set keeps under files/ (the manifests,
// the PKI, the kubeconfigs, the kubelet and repository configuration: all
// small), by node path, each checked against the set's MANIFEST.sha256. For
// kuphost.backup-set/1: another plugin's rollback reads its "before" bytes
// here. An archive is read once, start to end (decrypted when encrypted);
// the snapshot and data-directory copy pass by without being kept.
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SET_FILES_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SET_FILES_H

#include <map>
#include <string>

#include "backup_catalog.h"
#include "node_paths.h"

namespace kuphost_plugins::etcd_backup {

// Node path ("/etc/kubernetes/pki/ca.crt") -> bytes. Throws
// std::runtime_error naming the set and the file when a copy does not match
// the manifest, the set is incomplete, or the archive cannot be read.
std::map<std::string, std::string> read_set_files(const PathResolver &resolve, const BackupEntry &set,
                                                  const std::string &key_file_node);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_SET_FILES_H
