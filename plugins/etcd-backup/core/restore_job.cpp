#include "restore_job.h"

#include <algorithm>
#include <system_error>

#include "backup_description.h"
#include "backup_names.h"
#include "backup_set/backup_set.h"
#include "etcd_health.h"
#include "node_paths.h"
#include "set_packing.h"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {

namespace fs = std::filesystem;


std::string read_text(const fs::path &path) {
  auto text = read_whole_file(path);
  if (!text) throw RestoreRefused("cannot read " + path.string());
  return std::move(*text);
}

void move(const fs::path &from, const fs::path &to) {
  std::error_code error;
  fs::rename(from, to, error);
  if (error == std::errc::cross_device_link) {
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    fs::remove_all(from);
  } else if (error) {
    throw BackupError("cannot move " + from.string() + " to " + to.string() + ": " + error.message());
  }
}

// The static-pod manifests, moved aside so that the kubelet stops the pods,
// and put back by the destructor unless the restore got past that point.
class StoppedControlPlane {
 public:
  StoppedControlPlane(fs::path manifests, fs::path aside) : manifests_(std::move(manifests)), aside_(std::move(aside)) {
    fs::create_directories(aside_);
    fs::permissions(aside_.parent_path(), fs::perms::owner_all);
    std::vector<fs::path> names;
    for (const auto &item : fs::directory_iterator(manifests_))
      if (item.path().extension() == ".yaml" || item.path().extension() == ".yml") names.push_back(item.path());
    std::sort(names.begin(), names.end());
    for (const auto &name : names) {
      move(name, aside_ / name.filename());
      moved_.push_back(name.filename());
    }
  }
  ~StoppedControlPlane() {
    if (!put_back_on_exit_) return;
    for (const auto &name : moved_) {
      std::error_code ignored;
      if (!fs::exists(manifests_ / name, ignored)) fs::rename(aside_ / name, manifests_ / name, ignored);
    }
  }
  void keep_stopped_state() { put_back_on_exit_ = false; }
  std::size_t count() const { return moved_.size(); }

 private:
  fs::path manifests_, aside_;
  std::vector<fs::path> moved_;
  bool put_back_on_exit_ = true;
};

void copy_file_atomically(const fs::path &from, const fs::path &to) {
  const fs::path partial = to.parent_path() / ("." + to.filename().string() + ".kuphost-partial");
  fs::copy_file(from, partial, fs::copy_options::overwrite_existing);
  fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write);
  fs::rename(partial, to);
}

EtcdClientTls client_for(const PathResolver &resolve, const RestoreRequest &r, const BackupDescription &d) {
  const fs::path etcd_yaml = resolve(join_node_path(r.manifests_dir, "etcd.yaml"));
  std::error_code error;
  if (fs::exists(etcd_yaml, error)) try {
      return stacked_member(read_text(etcd_yaml)).endpoints.front();
    } catch (const std::exception &) {
    }
  return EtcdClientTls{d.endpoint.empty() ? "https://127.0.0.1:2379" : d.endpoint, "/etc/kubernetes/pki/etcd/ca.crt",
                       "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
                       "/etc/kubernetes/pki/etcd/healthcheck-client.key"};
}

void require_verified(const fs::path &set, const std::string &what) {
  const VerifyReport report = verify_set(set);
  if (!report.ok())
    throw RestoreRefused(what + " does not verify (" + describe(report.problems.front()) +
                         (report.problems.size() > 1 ? " and " + std::to_string(report.problems.size() - 1) + " more"
                                                     : std::string()) +
                         "); nothing was changed");
}

// Runs `etcdutl snapshot restore` (etcd 3.5+, with the revision bump the
// etcd docs ask for under Kubernetes), else etcdctl's (3.4, no such flags).
std::string restore_snapshot(CommandRunner &runner, const std::string &snapshot, const std::string &data_dir,
                             const BackupDescription &d) {
  const std::vector<std::string> common{"snapshot",
                                        "restore",
                                        snapshot,
                                        "--data-dir=" + data_dir,
                                        "--name=" + d.member_name,
                                        "--initial-cluster=" + d.member_name + "=" + d.peer_url,
                                        "--initial-advertise-peer-urls=" + d.peer_url};
  for (const char *program : {"etcdutl", "etcdctl"}) {
    Command c;
    c.argv = {program};
    c.argv.insert(c.argv.end(), common.begin(), common.end());
    if (std::string(program) == "etcdutl") c.argv.insert(c.argv.end(), {"--bump-revision=1000000000", "--mark-compacted"});
    c.env = {"ETCDCTL_API=3"};
    c.timeout = std::chrono::minutes(10);
    try {
      const CommandResult r = runner.run(c);
      if (!r.succeeded())
        throw BackupError(std::string(program) + " snapshot restore failed: " +
                          last_line_of(r.err.empty() ? r.out : r.err));
      return program;
    } catch (const ProgramNotFound &) {
      continue;
    }
  }
  throw BackupError("neither etcdutl nor etcdctl is installed on this node; install etcd-client to restore");
}

}  // namespace

RestoreResult run_restore(CommandRunner &runner, const PathResolver &resolve, const Waiting &waiting,
                          const RestoreRequest &r, const Progress &progress) {
  RestoreResult result;
  const std::string ts = kubeadm_timestamp(r.now);
  const BackupEntry &b = r.backup;
  if (!b.complete) throw RestoreRefused(b.node_path + " is incomplete (no manifest): it cannot be restored");

  // 1. The set, verified before anything changes.
  std::string set_node = b.node_path;
  struct Scratch {
    fs::path path;
    ~Scratch() {
      std::error_code ignored;
      if (!path.empty()) fs::remove_all(path, ignored);
    }
  } scratch;
  if (b.packed) {
    set_node = join_node_path(r.backup_dir, ".restore-" + ts);
    scratch.path = resolve(set_node);
    try {
      unpack_set_to(resolve, b.node_path, r.key_file, scratch.path);
    } catch (const std::exception &e) {
      throw RestoreRefused(std::string(e.what()) + "; nothing was changed");
    }
  } else {
    require_verified(resolve(set_node), b.node_path);
  }
  const BackupDescription d = parse_description(read_text(resolve(join_node_path(set_node, kDescriptionName))));
  result.backup_revision = d.revision >= 0 ? std::optional<std::int64_t>(d.revision) : std::nullopt;
  if (d.topology != "stacked")
    throw RestoreRefused(
        "this backup is of external etcd: restore it on the etcd hosts (etcdutl snapshot restore " +
        join_node_path(set_node, kSnapshotName) + " on every member), kuphost restores stacked members only");
  const bool single = d.cluster_size <= 1;
  std::string copy_set;  // node path of the data-directory copy (peers only)
  if (!single) {
    if (d.data_copy_in_set) {
      copy_set = join_node_path(set_node, kDataCopyInSet);
    } else if (!d.etcd_copy.empty() && fs::exists(resolve(d.etcd_copy))) {
      require_verified(resolve(d.etcd_copy), d.etcd_copy);
      copy_set = join_node_path(d.etcd_copy, "etcd");
    } else {
      throw RestoreRefused("this member has " + std::to_string(d.cluster_size - 1) +
                           " peers, so it is restored from its data-directory copy, and " +
                           (d.etcd_copy.empty() ? std::string("the backup has none") : d.etcd_copy + " is gone") +
                           "; nothing was changed");
    }
  }
  result.source = single ? "snapshot" : "data-directory copy";
  const EtcdClientTls client = client_for(resolve, r, d);

  // 2. Newer data in a running member is never replaced unasked.
  result.member_revision = live_revision(runner, client);
  auto refuse_newer = [&](std::int64_t found) {
    if (r.force || !result.backup_revision || found <= *result.backup_revision) return;
    throw RestoreRefused("the etcd member holds revision " + std::to_string(found) + ", newer than the backup's " +
                         std::to_string(*result.backup_revision) +
                         ": writes made since the backup would be lost; nothing was changed (pass --force to "
                         "restore anyway; the current data is moved aside, never deleted)");
  };
  if (result.member_revision) refuse_newer(*result.member_revision);

  const std::string data_dir = d.data_dir.empty() ? "/var/lib/etcd" : d.data_dir;
  const std::string fresh = join_node_path(data_dir, "kuphost-restore-" + ts);
  const std::string aside = join_node_path(r.kubeadm_tmp_dir, "kuphost-restore-" + ts + "/manifests-before-restore");
  result.old_member = join_node_path(data_dir, "member.before-restore-" + ts);
  result.moved_manifests = aside;
  if (r.dry_run) {
    progress("would move the static-pod manifests in " + r.manifests_dir + " to " + aside + " and wait for etcd to stop");
    progress("would rebuild the member in " + fresh + " from the " + result.source + " of " + b.node_path);
    progress("would move " + join_node_path(data_dir, "member") + " to " + result.old_member +
             " and the rebuilt member/ in its place");
    progress("would restore the manifests from the backup and wait for etcd to become healthy");
    return result;
  }

  // 3. Stop the control plane the way the kubelet understands.
  StoppedControlPlane stopped(resolve(r.manifests_dir), resolve(aside));
  progress("moved " + std::to_string(stopped.count()) + " static-pod manifests to " + aside);
  if (!wait_for_health(runner, client, false, r.stop_timeout, waiting.sleep, waiting.elapsed))
    throw BackupError("etcd still answers at " + client.endpoint + " " + std::to_string(r.stop_timeout.count() / 1000) +
                      " s after its manifest was moved aside (is the kubelet running?); manifests put back");
  progress("etcd stopped");
  if (!result.member_revision) {
    const std::string db = join_node_path(data_dir, "member/snap/db");
    if (fs::exists(resolve(db))) try {
        if (auto status = snapshot_status(runner, db)) {
          result.member_revision = status->revision;
          refuse_newer(status->revision);
        }
      } catch (const RestoreRefused &) {
        throw;
      } catch (const std::exception &e) {
        progress("could not read the revision of " + db + " (" + e.what() + "); it is moved aside, not deleted");
      }
  }

  // 4. The rebuilt member, in a fresh directory next to the old one.
  std::string rebuilt_member;
  if (single) {
    const std::string program = restore_snapshot(runner, join_node_path(set_node, kSnapshotName), fresh, d);
    rebuilt_member = join_node_path(fresh, "member");
    progress("restored the snapshot into " + fresh + " with " + program +
             (program == "etcdctl" ? " (etcd 3.4/3.5 etcdctl has no --bump-revision/--mark-compacted; etcdutl 3.5+ "
                                     "is used with them when installed)"
                                   : " --bump-revision=1000000000 --mark-compacted"));
  } else {
    fs::create_directories(resolve(fresh));
    fs::permissions(resolve(fresh), fs::perms::owner_all);
    fs::copy(resolve(join_node_path(copy_set, "member")), resolve(join_node_path(fresh, "member")),
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    rebuilt_member = join_node_path(fresh, "member");
    progress("copied the verified data-directory copy " + copy_set + " into " + fresh);
  }

  // 5. Swap: the old member/ is moved aside, never written over.
  const std::string current = join_node_path(data_dir, "member");
  std::error_code error;
  if (fs::exists(resolve(current), error)) move(resolve(current), resolve(result.old_member));
  else result.old_member.clear();
  move(resolve(rebuilt_member), resolve(current));
  fs::remove_all(resolve(fresh), error);
  progress("member data in place" +
           (result.old_member.empty() ? std::string() : "; the replaced data is in " + result.old_member));

  // 6. The manifests of the backup, then etcd must come back.
  const std::string manifests_source =
      !d.manifests_copy.empty() && fs::exists(resolve(d.manifests_copy))
          ? d.manifests_copy
          : join_node_path(set_node, std::string(kFilesInSet) + r.manifests_dir);
  if (manifests_source == d.manifests_copy) require_verified(resolve(d.manifests_copy), d.manifests_copy);
  for (const auto &item : fs::directory_iterator(resolve(manifests_source)))
    if (item.path().extension() == ".yaml")
      copy_file_atomically(item.path(), resolve(r.manifests_dir) / item.path().filename());
  stopped.keep_stopped_state();
  progress("static-pod manifests restored from " + manifests_source);
  if (!wait_for_health(runner, client, true, r.health_timeout, waiting.sleep, waiting.elapsed))
    throw BackupError("etcd did not become healthy within " + std::to_string(r.health_timeout.count() / 1000) +
                      " s after the restore; the replaced data is in " + result.old_member +
                      ", the manifests that ran before in " + aside);
  progress("etcd is healthy at " + client.endpoint);
  return result;
}

}  // namespace kuphost_plugins::etcd_backup
