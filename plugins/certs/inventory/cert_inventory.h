// Every certificate kubeadm manages on a control-plane node, with its
// notAfter, as `kubeadm certs check-expiration` lists them (certs.md §1-§3),
// plus the kubelet's client certificate, which kubeadm leaves to the kubelet.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kuphost_plugins::certs {

// Node path (/etc/kubernetes/pki/ca.crt) -> the path this process opens (the
// sandbox maps it under the node's root).
using PathResolver = std::function<std::filesystem::path(const std::string &node_path)>;

enum class EtcdTopology { kStacked, kExternal };

struct CertStatus {
  std::string name;       // check-expiration name: "apiserver", "admin.conf", "etcd-ca"
  std::string node_path;  // the .crt, or the kubeconfig that embeds the client certificate
  std::string ca_name;    // the signing CA's name; empty for a CA
  bool missing = false;   // the file is absent
  bool externally_managed = false;
  std::string error;             // why the file holds no readable certificate; empty when it does
  int64_t not_after_unix = 0;    // valid when !missing && error.empty()
  int64_t residual_seconds = 0;  // notAfter - now, truncated toward zero as kubeadm does

  bool readable() const { return !missing && error.empty(); }
};

struct KubeletClientStatus {
  CertStatus cert;  // name "kubelet-client", node_path the -current.pem link
  // Set when it expires within kKubeletWarningDays or has expired: kubeadm
  // never renews kubelet.conf, and a kubelet without rotation keeps this one.
  std::string warning;
};

inline constexpr int64_t kKubeletWarningDays = 30;

struct ExpirationInventory {
  int64_t now_unix_ms = 0;
  std::vector<CertStatus> certificates;  // leaves and kubeconfigs, sorted by name
  std::vector<CertStatus> authorities;   // CAs, sorted by name
  KubeletClientStatus kubelet_client;
};

// Reads the node's PKI as of `now_unix_ms` (injected so reports are
// reproducible). Files that are absent or corrupt become rows saying so; only
// a resolver failure propagates.
ExpirationInventory read_inventory(const PathResolver &resolve, EtcdTopology etcd, int64_t now_unix_ms);

}  // namespace kuphost_plugins::certs
