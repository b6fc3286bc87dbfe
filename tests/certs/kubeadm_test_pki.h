// A kubeadm-shaped PKI (certs.md §1-§2) under a temporary node root, with
// every certificate's notAfter chosen by the test, made with the sandbox's
// OpenSSL certificate code.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "inventory/cert_inventory.h"

namespace kuphost::test::certs {

struct TestPkiLayout {
  bool stacked_etcd = true;
  int64_t leaf_not_after = 0;  // Unix seconds, for every leaf and kubeconfig not in `not_after`
  int64_t ca_not_after = 0;    // for every CA not in `not_after`
  // By check-expiration name ("apiserver", "admin.conf", "etcd-ca"), or
  // "kubelet-client" for /var/lib/kubelet/pki/kubelet-client-current.pem.
  std::map<std::string, int64_t> not_after;
};

// Writes etc/kubernetes/pki, the four kubeconfigs with embedded client
// certificates, kubelet.conf and the kubelet's client certificate under root.
void write_test_pki(const std::filesystem::path &root, const TestPkiLayout &layout);

// Node path -> root + node path.
kuphost_plugins::certs::PathResolver under_root(const std::filesystem::path &root);

}  // namespace kuphost::test::certs
