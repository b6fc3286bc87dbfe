// kubeadm's PKI and kubeconfig files on a node (certs.md §1-§2), and their
// renewal as `kubeadm upgrade` does it (certs.md §6).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "key_pool.h"
#include "pki.h"
#include "sandbox_file.h"
#include "version.h"

namespace kuphost::sandbox::detail {

// Generated once per sandbox and copied to every control plane, as kubeadm's
// certificate upload / manual copy does.
struct ClusterCas {
  KeyPair ca, front_proxy_ca;
  // Stacked: kubeadm's etcd-ca. External: the external etcd cluster's CA; its
  // key only signs apiserver-etcd-client and is never written to a node.
  KeyPair etcd_ca;
  KeyPtr service_account;
};

ClusterCas make_cluster_cas(KeyPool &keys);

// How many keys of the sandbox's key type make_cluster_cas and
// write_node_pki take from the pool, so it can generate them up front.
size_t keys_for_cluster_cas();
size_t keys_for_node(const SandboxNode &node, bool stacked_etcd, const KubeVersion &version);

struct NodePkiParams {
  SandboxNode node;
  std::string first_control_plane;  // workers' kubelet.conf points there
  bool stacked_etcd = true;
  KeyPool *keys = nullptr;  // the sandbox's key type; the kubelet's own key is always ECDSA
  int validity_days = 365;
  KubeVersion version;
  // The kubeconfigs' `server:`: the sandbox's API server
  // (https://127.0.0.1:PORT); kubeadm's https://<control-plane>:6443 when empty.
  std::string server;
};

// etc/kubernetes/pki, the *.conf files and the kubelet client certificate.
void write_node_pki(const std::filesystem::path &root, const ClusterCas &cas, const NodePkiParams &params);

// The certificates `kubeadm upgrade` renews before replacing `component`'s
// manifest: check-expiration names ("apiserver", "controller-manager.conf").
std::vector<std::string> certs_renewed_with(const std::string &component, bool stacked_etcd);

// Renews one of those with a new key and `validity_days`, keeping CN, O,
// SANs and EKUs. Returns false, changing nothing, when the signing CA's key
// is absent (kubeadm's "External CA detected"). Throws on other errors.
bool renew_cert(const std::filesystem::path &root, const std::string &name, int validity_days);

}  // namespace kuphost::sandbox::detail
