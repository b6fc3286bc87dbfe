#include "backup_catalog.h"

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include "attached_files.h"
#include "backup_set/io.h"
#include "backup_set/manifest.h"
#include "free_space.h"
#include "node_paths.h"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {



bool has_manifest(const std::filesystem::path &set) {
  try {
    return read_manifest(real_file_system(), set).has_value();
  } catch (const std::exception &) {
    return false;  // a manifest that does not parse is no proof of completeness
  }
}

void remove_path(const std::filesystem::path &path) {
  std::error_code error;
  std::filesystem::remove_all(path, error);
  if (error) throw std::runtime_error("cannot remove " + path.string() + ": " + error.message());
}

}  // namespace

std::vector<BackupEntry> list_backups(const PathResolver &resolve, const std::string &backup_dir,
                                      const std::string &kubeadm_tmp_dir) {
  std::vector<BackupEntry> out;
  const auto dir = resolve(backup_dir);
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) return out;
  for (const auto &item : std::filesystem::directory_iterator(dir, error)) {
    const auto name = parse_set_name(item.path().filename().string());
    if (!name) continue;
    BackupEntry e;
    e.name = *name;
    e.node_path = join_node_path(backup_dir, item.path().filename().string());
    e.packed = !name->suffix.empty();
    e.bytes = tree_bytes(item.path());
    if (e.packed) {
      e.complete = item.is_regular_file(error);  // archives appear under their name only when complete
    } else {
      e.complete = has_manifest(item.path());
      if (auto text = read_whole_file(item.path() / std::string(kDescriptionName))) try {
          e.description = parse_description(*text);
        } catch (const std::exception &) {
        }
    }
    const std::string etcd = join_node_path(kubeadm_tmp_dir, std::string(kKubeadmEtcdPrefix) + name->timestamp);
    const std::string manifests = join_node_path(kubeadm_tmp_dir, std::string(kKubeadmManifestsPrefix) + name->timestamp);
    if (std::filesystem::exists(resolve(etcd), error)) e.etcd_copy = etcd;
    if (std::filesystem::exists(resolve(manifests), error)) e.manifests_copy = manifests;
    const std::string attached = e.node_path + std::string(kAttachedSuffix);
    if (std::filesystem::exists(resolve(attached), error)) e.attached = attached;
    out.push_back(std::move(e));
  }
  // Timestamps sort as text; "-N" suffixes of the same second after it.
  std::sort(out.begin(), out.end(), [](const BackupEntry &a, const BackupEntry &b) {
    if (a.name.timestamp.size() != b.name.timestamp.size() &&
        a.name.timestamp.substr(0, 19) == b.name.timestamp.substr(0, 19))
      return a.name.timestamp.size() > b.name.timestamp.size();
    return a.name.timestamp > b.name.timestamp;
  });
  return out;
}

std::vector<std::string> apply_retention(const PathResolver &resolve, const std::string &backup_dir,
                                         const std::string &kubeadm_tmp_dir, long keep) {
  std::vector<std::string> removed;
  long kept = 0;
  for (const auto &e : list_backups(resolve, backup_dir, kubeadm_tmp_dir)) {
    if (e.complete && kept < keep) {
      ++kept;
      continue;
    }
    for (const auto &path : {e.attached, std::optional<std::string>(e.node_path), e.etcd_copy, e.manifests_copy}) {
      if (!path) continue;
      remove_path(resolve(*path));
      removed.push_back(*path);
    }
  }
  return removed;
}

BackupEntry find_backup(const PathResolver &resolve, const std::string &backup_dir,
                        const std::string &kubeadm_tmp_dir, const std::string &name) {
  const auto all = list_backups(resolve, backup_dir, kubeadm_tmp_dir);
  std::vector<std::string> names;
  for (const auto &e : all) {
    names.push_back(e.name.stem + e.name.suffix + (e.complete ? "" : " (incomplete)"));
    if (name.empty() ? e.complete
                     : (name == e.name.stem || name == e.name.stem + e.name.suffix || name == e.node_path))
      return e;
  }
  if (name.empty())
    throw std::runtime_error("no complete backup in " + backup_dir +
                             (names.empty() ? std::string(" (it is empty)") : " (found: " + join(names, ", ") + ")"));
  throw std::runtime_error("no backup named '" + name + "' in " + backup_dir +
                           (names.empty() ? std::string(" (it is empty)") : "; found: " + join(names, ", ")));
}

}  // namespace kuphost_plugins::etcd_backup
