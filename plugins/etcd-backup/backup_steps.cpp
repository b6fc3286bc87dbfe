#include "backup_steps.h"

#include "core/backup_names.h"
#include "core/free_space.h"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {

// Plans show the layout; the apply fills in the time.
constexpr const char *kTimestamp = "YYYY-MM-DD-HH-MM-SS";

}  // namespace

std::vector<std::string> backup_steps(const kup::Host &host, const BackupSettings &settings) {
  const BackupRequest r = backup_request(host, settings);
  const PathResolver resolve = node_paths(host);
  const std::string set = settings.directory + "/" + std::string(kSetPrefix) + kTimestamp;
  const std::string snapshot = set + "/etcd-snapshot.db";
  const std::string tmp = std::string(kKubeadmTmp) + "/";

  std::vector<std::string> steps;
  const std::uint64_t data = r.etcd.stacked ? tree_bytes(resolve(r.etcd.data_dir)) : 0;
  steps.push_back("check free space in " + settings.directory + " and " + kKubeadmTmp +
                  (r.etcd.stacked ? " (etcd data directory now " + human_bytes(data) + ")" : std::string()));
  steps.push_back("create " + set + " (mode 0700)");
  const auto &first = r.etcd.endpoints.front();
  std::string save = command_line(etcdctl_snapshot_save_argv(r.etcdctl, first, snapshot));
  if (r.etcd.endpoints.size() > 1) {
    std::vector<std::string> rest;
    for (std::size_t i = 1; i < r.etcd.endpoints.size(); ++i) rest.push_back(r.etcd.endpoints[i].endpoint);
    save += " (one endpoint at a time; then " + join(rest, ", ") + " if it fails)";
  }
  steps.push_back(save);
  steps.push_back(std::string("without etcdctl on the node: ") +
                  (r.etcd.stacked ? "crictl exec into the etcd container, else " : "") +
                  "etcd's v3 JSON gateway with the same client certificate");
  steps.push_back("check the snapshot's SHA-256 trailer, then " +
                  command_line({"etcdutl", "snapshot", "status", snapshot, "-w", "json"}) +
                  " (etcdctl on etcd 3.4/3.5)");
  if (!r.etcd.stacked) {
    steps.push_back("external etcd: snapshot only, no data-directory copy (the members' disks are on the etcd hosts)");
  } else if (r.pack.encrypted()) {
    steps.push_back("copy " + r.etcd.data_dir + " into the set as etcd-data/ (encrypted: no plaintext copy in " +
                    kKubeadmTmp + ")");
  } else {
    steps.push_back("copy " + r.etcd.data_dir + " to " + tmp + std::string(kKubeadmEtcdPrefix) + kTimestamp +
                    "/etcd (kubeadm's layout, for its documented manual recovery), hashing into its MANIFEST.sha256");
  }
  steps.push_back("copy " + std::string(kManifests) + " to " + tmp + std::string(kKubeadmManifestsPrefix) + kTimestamp);
  steps.push_back("copy " + join(r.trees, ", ") + ", " + join(r.files, ", ") + " into " + set + "/files");
  steps.push_back("write " + set + "/backup.yaml, then MANIFEST.sha256 last (size, mode, SHA-256 of every file)");
  if (r.pack.packed())
    steps.push_back("pack " + set + " as " + (r.pack.archive == "none" ? "tar.zst" : r.pack.archive) +
                    (r.pack.encrypted() ? ", encrypted with AES-256-GCM (key " + r.pack.key_file + ")" : std::string()) +
                    ", verify the archive, remove the directory");
  steps.push_back("keep the newest " + std::to_string(settings.retention) + " backups in " + settings.directory +
                  " (with their copies in " + kKubeadmTmp + ") and remove older ones");
  return steps;
}

}  // namespace kuphost_plugins::etcd_backup
