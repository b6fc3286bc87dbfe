#include "etcd_member.h"

#include <algorithm>

#include "support/static_pod_flags.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {

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

}  // namespace

EtcdMember stacked_member(std::string_view etcd_yaml) {
  if (trim(etcd_yaml).empty())
    throw MemberConfigError(
        "stacked etcd, but /etc/kubernetes/manifests/etcd.yaml is missing or empty: is this a control-plane "
        "node? (for external etcd the node has no etcd.yaml)");
  EtcdMember m;
  m.stacked = true;
  std::string endpoint = "https://127.0.0.1:2379";
  if (const auto urls = static_pod_flag(etcd_yaml, "--listen-client-urls"))
    for (const auto &url : split_commas(*urls))
      if (url.find("://127.0.0.1:") != std::string::npos || url.find("://[::1]:") != std::string::npos) {
        endpoint = url;
        break;
      }
  m.endpoints.push_back(EtcdClientTls{endpoint,
                                      static_pod_flag(etcd_yaml, "--trusted-ca-file")
                                          .value_or("/etc/kubernetes/pki/etcd/ca.crt"),
                                      "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
                                      "/etc/kubernetes/pki/etcd/healthcheck-client.key"});
  m.name = static_pod_flag(etcd_yaml, "--name").value_or("");
  m.data_dir = static_pod_flag(etcd_yaml, "--data-dir").value_or("/var/lib/etcd");
  m.peer_url = static_pod_flag(etcd_yaml, "--initial-advertise-peer-urls").value_or("");
  m.initial_cluster = static_pod_flag(etcd_yaml, "--initial-cluster").value_or("");
  m.cluster_size = std::max<std::size_t>(1, split_commas(m.initial_cluster).size());
  if (m.name.empty() || m.peer_url.empty())
    throw MemberConfigError("etcd.yaml has no --name or --initial-advertise-peer-urls; kubeadm always writes both");
  return m;
}

EtcdMember external_cluster(std::string_view apiserver_yaml, const std::vector<std::string> &configured) {
  EtcdMember m;
  m.stacked = false;
  std::vector<std::string> urls = configured;
  if (urls.empty())
    if (const auto servers = static_pod_flag(apiserver_yaml, "--etcd-servers")) urls = split_commas(*servers);
  if (urls.empty())
    throw MemberConfigError(
        "external etcd: set etcd-backup.endpoints to the etcd client URLs (kube-apiserver.yaml has no "
        "--etcd-servers to take them from)");
  const std::string ca = static_pod_flag(apiserver_yaml, "--etcd-cafile").value_or("/etc/kubernetes/pki/etcd/ca.crt");
  const std::string cert =
      static_pod_flag(apiserver_yaml, "--etcd-certfile").value_or("/etc/kubernetes/pki/apiserver-etcd-client.crt");
  const std::string key =
      static_pod_flag(apiserver_yaml, "--etcd-keyfile").value_or("/etc/kubernetes/pki/apiserver-etcd-client.key");
  for (const auto &url : urls) m.endpoints.push_back(EtcdClientTls{url, ca, cert, key});
  m.cluster_size = urls.size();
  return m;
}

}  // namespace kuphost_plugins::etcd_backup
