#include "node_backup.h"

#include <chrono>

namespace kuphost_plugins::etcd_backup {
namespace {

std::string manifest(const kup::Host &host, const std::string &name) {
  const std::string path = std::string(kManifests) + "/" + name;
  return host.stat(path).exists() ? host.read_file(path) : std::string();
}

// The package repository files of this node's family, so that a restored
// node installs from the repository it was built with. Only those present:
// a Debian node has the .list or the deb822 .sources form, not both.
std::vector<std::string> repository_files(const kup::Host &host) {
  const std::string family = host.fact("os.family").value_or("");
  std::vector<std::string> candidates;
  if (family == "rhel") candidates = {"/etc/yum.repos.d/kubernetes.repo"};
  else if (family == "suse") candidates = {"/etc/zypp/repos.d/kubernetes.repo"};
  else
    candidates = {"/etc/apt/sources.list.d/kubernetes.list", "/etc/apt/sources.list.d/kubernetes.sources",
                  "/etc/apt/keyrings/kubernetes-apt-keyring.gpg"};
  std::vector<std::string> present;
  for (const auto &c : candidates)
    if (host.stat(c).exists()) present.push_back(c);
  return present;
}

}  // namespace

PathResolver node_paths(const kup::Host &host) {
  return [host](const std::string &node_path) { return std::filesystem::path(host.resolve(node_path)); };
}

EtcdMember etcd_of(const kup::Host &host, const BackupSettings &settings) {
  try {
    if (host.fact("etcd.topology").value_or("") == "stacked") return stacked_member(manifest(host, "etcd.yaml"));
    return external_cluster(manifest(host, "kube-apiserver.yaml"), settings.endpoints);
  } catch (const MemberConfigError &e) {
    throw kup::Error(KUP_E_INVALID_CONFIG, std::string("etcd-backup: ") + e.what());
  }
}

BackupRequest backup_request(const kup::Host &host, const BackupSettings &settings) {
  BackupRequest r;
  r.etcd = etcd_of(host, settings);
  r.node_name = host.fact("node.name").value_or("");
  r.backup_dir = settings.directory;
  r.kubeadm_tmp_dir = kKubeadmTmp;
  r.manifests_dir = kManifests;
  r.trees = {kManifests, "/etc/kubernetes/pki"};
  r.files = {"/etc/kubernetes/admin.conf"};
  // super-admin.conf exists from kubeadm 1.29 on, and only on the first
  // control plane: not worth a "missing" line elsewhere.
  if (host.stat("/etc/kubernetes/super-admin.conf").exists()) r.files.push_back("/etc/kubernetes/super-admin.conf");
  for (const char *f : {"/etc/kubernetes/controller-manager.conf", "/etc/kubernetes/scheduler.conf",
                        "/etc/kubernetes/kubelet.conf", "/var/lib/kubelet/config.yaml",
                        "/var/lib/kubelet/kubeadm-flags.env"})
    r.files.push_back(f);
  for (auto &f : repository_files(host)) r.files.push_back(std::move(f));
  r.now = std::chrono::system_clock::time_point(std::chrono::milliseconds(host.now_unix_ms()));
  r.pack.archive = settings.archive;
  r.pack.key_file = settings.encryption_key_file;
  r.retention = settings.retention;
  return r;
}

Waiting host_waiting(const kup::Host &host) {
  return Waiting{[host](std::chrono::milliseconds ms) { host.sleep_ms(static_cast<uint32_t>(ms.count())); },
                 [host] { return std::chrono::milliseconds(host.monotonic_ms()); }};
}

}  // namespace kuphost_plugins::etcd_backup
