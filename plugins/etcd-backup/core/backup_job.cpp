#include "backup_job.h"

#include <ctime>
#include <system_error>

#include "backup_catalog.h"
#include "backup_description.h"
#include "backup_names.h"
#include "backup_set/backup_set.h"
#include "free_space.h"
#include "node_paths.h"
#include "set_packing.h"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {


// "files/etc/kubernetes/pki" for "/etc/kubernetes/pki".
std::string in_files(const std::string &node_path) {
  return std::string(kFilesInSet) + (node_path.front() == '/' ? "" : "/") + node_path;
}

std::string utc_text(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool present(const std::filesystem::path &path) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::symlink_status(path, error));
}

// Creates `dir` 0700 (as kubeadm creates /etc/kubernetes/tmp); an existing
// one keeps the mode its owner gave it.
void make_private_dirs(const std::filesystem::path &dir) {
  std::error_code error;
  if (std::filesystem::exists(dir, error)) return;
  std::filesystem::create_directories(dir, error);
  if (!error) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, error);
  if (error) throw BackupError("cannot create " + dir.string() + ": " + error.message());
}

// Picks the timestamp: kubeadm's second, with -1, -2 when a backup of the
// same second exists (kubeadm itself would fail there).
std::string free_timestamp(const PathResolver &resolve, const BackupRequest &r) {
  const std::string base = kubeadm_timestamp(r.now);
  for (int n = 0;; ++n) {
    const std::string ts = n == 0 ? base : base + "-" + std::to_string(n);
    bool taken = false;
    for (const auto &suffix : set_suffixes())
      taken = taken || present(resolve(join_node_path(r.backup_dir, std::string(kSetPrefix) + ts + std::string(suffix))));
    taken = taken || present(resolve(join_node_path(r.kubeadm_tmp_dir, std::string(kKubeadmEtcdPrefix) + ts))) ||
            present(resolve(join_node_path(r.kubeadm_tmp_dir, std::string(kKubeadmManifestsPrefix) + ts)));
    if (!taken) return ts;
  }
}

// Removes a companion directory unless disarmed: a failed backup frees its
// space and leaves nothing that looks like a backup.
class RemoveOnFailure {
 public:
  explicit RemoveOnFailure(std::filesystem::path path) : path_(std::move(path)) {}
  ~RemoveOnFailure() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  void disarm() { path_.clear(); }

 private:
  std::filesystem::path path_;
};

std::vector<SpaceNeed> space_needs(const PathResolver &resolve, const BackupRequest &r, bool kubeadm_copy) {
  const std::uint64_t db = r.etcd.stacked ? tree_bytes(resolve(r.etcd.data_dir + "/member/snap/db")) : 0;
  const std::uint64_t data = r.etcd.stacked ? tree_bytes(resolve(r.etcd.data_dir)) : 0;
  std::uint64_t files = 0;
  for (const auto &t : r.trees) files += tree_bytes(resolve(t));
  for (const auto &f : r.files) files += tree_bytes(resolve(f));
  const std::uint64_t manifests = tree_bytes(resolve(r.manifests_dir));
  SpaceNeed set{r.backup_dir, resolve(r.backup_dir), db + files, {}, "set etcd-backup.directory to a larger filesystem"};
  set.what = "etcd snapshot ~" + human_bytes(db) + " + control-plane files " + human_bytes(files);
  if (r.etcd.stacked && !kubeadm_copy) {
    set.bytes += data;
    set.what += " + etcd data directory " + human_bytes(data);
  }
  // Packing writes the archive before the directory goes: twice the set.
  if (r.pack.packed()) {
    set.bytes *= 2;
    set.what += ", twice while it is packed";
  }
  std::vector<SpaceNeed> needs{set};
  SpaceNeed tmp{r.kubeadm_tmp_dir, resolve(r.kubeadm_tmp_dir), manifests,
                "static-pod manifests " + human_bytes(manifests),
                "set etcd-backup.encryption-key-file (the data-directory copy then goes into the encrypted set)"};
  if (kubeadm_copy) {
    tmp.bytes += data;
    tmp.what = "etcd data directory " + human_bytes(data) + " + " + tmp.what;
  }
  needs.push_back(tmp);
  return needs;
}

}  // namespace

BackupResult run_backup(CommandRunner &runner, const PathResolver &resolve, const BackupRequest &r,
                        const Progress &progress) {
  const bool kubeadm_copy = r.etcd.stacked && !r.pack.encrypted();
  try {
    if (r.pack.encrypted()) check_key_file(resolve, r.pack.key_file);
    check_free_space(space_needs(resolve, r, kubeadm_copy));
  } catch (const std::runtime_error &e) {
    throw BackupError(e.what());
  }
  make_private_dirs(resolve(r.backup_dir));
  make_private_dirs(resolve(r.kubeadm_tmp_dir));

  BackupResult result;
  const std::string ts = free_timestamp(resolve, r);
  result.name = std::string(kSetPrefix) + ts;
  const std::string set_node = join_node_path(r.backup_dir, result.name);
  BackupDescription d;
  try {
    SetBuilder set(resolve(set_node));
    SnapshotRequest snapshot{join_node_path(set_node, kSnapshotName), r.etcdctl, true, true};
    result.snapshot = take_snapshot(runner, r.etcd, snapshot, resolve);
    set.adopt_file(std::string(kSnapshotName));
    progress("etcd snapshot from " + result.snapshot.endpoint + " with " + method_name(result.snapshot.method) +
             ": " + human_bytes(result.snapshot.verified.database_bytes) + ", SHA-256 trailer verified" +
             (result.snapshot.status ? " (" + describe(*result.snapshot.status) + ")" : std::string()));
    for (const auto &note : result.snapshot.notes) progress("  tried first: " + note);

    std::optional<RemoveOnFailure> remove_etcd_copy, remove_manifests_copy;
    if (kubeadm_copy) {
      const std::string copy = join_node_path(r.kubeadm_tmp_dir, std::string(kKubeadmEtcdPrefix) + ts);
      remove_etcd_copy.emplace(resolve(copy));
      SetBuilder kubeadm_set(resolve(copy));
      // kubeadm's util.CopyDir layout: the data lands in <backup>/etcd.
      kubeadm_set.add_tree(resolve(r.etcd.data_dir), "etcd");
      const Manifest m = kubeadm_set.finish();
      for (const auto &e : m.entries) result.etcd_copy_bytes += e.size;
      result.etcd_copy = copy;
      progress("etcd data directory " + r.etcd.data_dir + " copied to " + copy + "/etcd (" +
               human_bytes(result.etcd_copy_bytes) + ", " + std::to_string(m.entries.size()) +
               " entries hashed into its MANIFEST.sha256)");
    } else if (r.etcd.stacked) {
      set.add_tree(resolve(r.etcd.data_dir), std::string(kDataCopyInSet));
      progress("etcd data directory " + r.etcd.data_dir + " copied into the encrypted set (no plaintext copy in " +
               r.kubeadm_tmp_dir + ")");
    }
    {
      const std::string copy = join_node_path(r.kubeadm_tmp_dir, std::string(kKubeadmManifestsPrefix) + ts);
      if (present(resolve(r.manifests_dir))) {
        remove_manifests_copy.emplace(resolve(copy));
        create_backup_set(resolve(r.manifests_dir), resolve(copy));
        result.manifests_copy = copy;
        progress("static-pod manifests copied to " + copy);
      }
    }
    for (const auto &tree : r.trees) {
      if (!present(resolve(tree))) {
        result.missing.push_back(tree);
        continue;
      }
      set.add_tree(resolve(tree), in_files(tree));
      d.files.push_back(tree);
    }
    for (const auto &file : r.files) {
      if (!present(resolve(file))) {
        result.missing.push_back(file);
        continue;
      }
      set.add_file(resolve(file), in_files(file));
      d.files.push_back(file);
    }
    progress("control-plane files copied: " + join(d.files, ", ") +
             (result.missing.empty() ? std::string() : " (not on this node: " + join(result.missing, ", ") + ")"));

    d.node = r.node_name;
    d.created = utc_text(r.now);
    d.kubernetes_version = r.kubernetes_version;
    d.topology = r.etcd.stacked ? "stacked" : "external";
    d.endpoint = result.snapshot.endpoint;
    d.method = method_name(result.snapshot.method);
    d.snapshot_sha256 = result.snapshot.verified.sha256_hex;
    d.snapshot_bytes = result.snapshot.verified.database_bytes;
    if (result.snapshot.status) {
      d.revision = result.snapshot.status->revision;
      d.total_keys = result.snapshot.status->total_keys;
    }
    d.member_name = r.etcd.name;
    d.data_dir = r.etcd.data_dir;
    d.peer_url = r.etcd.peer_url;
    d.initial_cluster = r.etcd.initial_cluster;
    d.cluster_size = r.etcd.cluster_size;
    d.etcd_copy = result.etcd_copy.value_or("");
    d.data_copy_in_set = r.etcd.stacked && !kubeadm_copy;
    d.manifests_copy = result.manifests_copy.value_or("");
    set.write_file(std::string(kDescriptionName), format_description(d));
    const Manifest manifest = set.finish();
    for (const auto &e : manifest.entries) result.set_bytes += e.size;
    result.set_path = set_node;
    progress("backup set " + set_node + " complete: " + std::to_string(manifest.entries.size()) + " entries, " +
             human_bytes(result.set_bytes) + ", MANIFEST.sha256 written last");
    if (r.pack.packed()) {
      result.set_path = pack_finished_set(resolve, set_node, r.pack);
      progress("packed as " + result.set_path);
    }
    if (remove_etcd_copy) remove_etcd_copy->disarm();
    if (remove_manifests_copy) remove_manifests_copy->disarm();
  } catch (const BackupError &) {
    throw;
  } catch (const std::exception &e) {
    throw BackupError(std::string("etcd backup failed: ") + e.what());
  }
  result.removed = apply_retention(resolve, r.backup_dir, r.kubeadm_tmp_dir, r.retention);
  if (!result.removed.empty())
    progress("retention (keep " + std::to_string(r.retention) + "): removed " + join(result.removed, ", "));
  return result;
}

}  // namespace kuphost_plugins::etcd_backup
