//===- core/node_paths.h - small helpers on node paths and files -----------
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_NODE_PATHS_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_NODE_PATHS_H

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kuphost_plugins::etcd_backup {

// "/etc/kubernetes/tmp" + "x" -> "/etc/kubernetes/tmp/x" (node paths are
// text: they name files on the node, not here).
std::string join_node_path(const std::string &dir, std::string_view name);

// The whole file, or nullopt when it cannot be opened.
std::optional<std::string> read_whole_file(const std::filesystem::path &path);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_NODE_PATHS_H
