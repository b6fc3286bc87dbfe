#include "backup_steps.h"

#include <optional>

#include "support/static_pod_flags.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr const char *kManifests = "/etc/kubernetes/manifests";
// kubeadm's timestamp layout (2006-01-02-15-04-05), so both backups of one
// run sort together; plans show the layout, the apply fills it in.
constexpr const char *kTimestamp = "YYYY-MM-DD-HH-MM-SS";

std::string manifest(const kup::Host &host, const std::string &name) {
  const std::string path = std::string(kManifests) + "/" + name;
  return host.stat(path).exists() ? host.read_file(path) : std::string();
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (auto item = trim(text.substr(0, comma)); !item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// The package repository file of this node's distro family, backed up so
// that a restored node installs from the repository it was built with.
std::string repository_file(const kup::Host &host) {
  const std::string family = host.fact("os.family").value_or("");
  if (family == "rhel") return "/etc/yum.repos.d/kubernetes.repo";
  if (family == "suse") return "/etc/zypp/repos.d/kubernetes.repo";
  return "/etc/apt/sources.list.d/kubernetes.list";
}

// How to reach the member to snapshot: endpoint and client credentials.
struct EtcdClient {
  std::vector<std::string> endpoints;
  std::string ca, cert, key;
};

// Stacked: the local member, with the client certificate kubeadm made for
// health checks. The client URL on loopback comes from etcd.yaml.
EtcdClient local_member(const kup::Host &host) {
  EtcdClient c{{"https://127.0.0.1:2379"},
               "/etc/kubernetes/pki/etcd/ca.crt",
               "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
               "/etc/kubernetes/pki/etcd/healthcheck-client.key"};
  if (const auto urls = static_pod_flag(manifest(host, "etcd.yaml"), "--listen-client-urls"))
    for (const auto &url : split_commas(*urls))
      if (url.find("127.0.0.1") != std::string::npos) c.endpoints = {url};
  return c;
}

// External: the endpoints and credentials the API server itself uses,
// unless the operator configured endpoints.
EtcdClient external_cluster(const kup::Host &host, const BackupSettings &settings) {
  const std::string apiserver = manifest(host, "kube-apiserver.yaml");
  EtcdClient c;
  c.endpoints = settings.endpoints;
  if (c.endpoints.empty())
    if (const auto servers = static_pod_flag(apiserver, "--etcd-servers"))
      c.endpoints = split_commas(*servers);
  if (c.endpoints.empty())
    throw kup::Error(KUP_E_INVALID_CONFIG,
                     "external etcd: set etcd-backup.endpoints to the etcd client URLs (kube-apiserver.yaml "
                     "has no --etcd-servers to take them from)");
  c.ca = static_pod_flag(apiserver, "--etcd-cafile").value_or("/etc/kubernetes/pki/etcd/ca.crt");
  c.cert =
      static_pod_flag(apiserver, "--etcd-certfile").value_or("/etc/kubernetes/pki/apiserver-etcd-client.crt");
  c.key =
      static_pod_flag(apiserver, "--etcd-keyfile").value_or("/etc/kubernetes/pki/apiserver-etcd-client.key");
  return c;
}

}  // namespace

std::vector<std::string> backup_steps(const kup::Host &host, const BackupSettings &settings) {
  const bool stacked = host.fact("etcd.topology").value_or("") == "stacked";
  const EtcdClient etcd = stacked ? local_member(host) : external_cluster(host, settings);
  const std::string backup = settings.directory + "/" + kTimestamp;
  const std::string snapshot = backup + "/etcd-snapshot.db";

  std::vector<std::string> steps;
  steps.push_back("create " + backup + " (mode 0700)");
  std::string save = command_line({"etcdctl", "--endpoints=" + etcd.endpoints.front(), "--cacert=" + etcd.ca,
                                   "--cert=" + etcd.cert, "--key=" + etcd.key, "snapshot", "save", snapshot});
  // etcdctl snapshot save takes exactly one endpoint.
  if (etcd.endpoints.size() > 1)
    save += " (one endpoint at a time; then " +
            join(std::vector<std::string>(etcd.endpoints.begin() + 1, etcd.endpoints.end()), ", ") +
            " if it fails)";
  steps.push_back(save);
  steps.push_back("check the snapshot's SHA-256 trailer, then " +
                  command_line({"etcdutl", "snapshot", "status", snapshot, "-w", "table"}));
  if (stacked) {
    const std::string data_dir =
        static_pod_flag(manifest(host, "etcd.yaml"), "--data-dir").value_or("/var/lib/etcd");
    steps.push_back("copy " + data_dir + " to /etc/kubernetes/tmp/kubeadm-backup-etcd-" + kTimestamp +
                    " (kubeadm's layout, for its documented manual recovery)");
  } else {
    steps.push_back("external etcd: no local data directory to copy");
  }
  steps.push_back(
      "copy " + std::string(kManifests) +
      ", /etc/kubernetes/pki, the kubeconfigs in /etc/kubernetes, /var/lib/kubelet/config.yaml and " +
      repository_file(host) + " into " + backup);
  if (settings.archive != "none") steps.push_back("pack " + backup + " as " + settings.archive);
  if (!settings.encryption_key_file.empty())
    steps.push_back("encrypt the backup with the key in " + settings.encryption_key_file);
  steps.push_back("keep the newest " + std::to_string(settings.retention) + " backups in " +
                  settings.directory + " and remove older ones");
  return steps;
}

}  // namespace kuphost_plugins::etcd_backup
