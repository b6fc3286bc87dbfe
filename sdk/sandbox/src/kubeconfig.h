// kubeconfig files as kubeadm writes them into /etc/kubernetes.
#pragma once

#include <string>

namespace kuphost::sandbox::detail {

struct Kubeconfig {
  std::string server;  // https://cp1:6443
  std::string user;    // kubernetes-admin, system:node:cp1, ...
  std::string ca_pem;
  // Either embedded PEM (client-certificate-data / client-key-data) ...
  std::string client_cert_pem, client_key_pem;
  // ... or a file both point at, as kubelet.conf does after the kubelet
  // starts rotating its client certificate.
  std::string client_cert_file;
};

std::string render_kubeconfig(const Kubeconfig &config);

// Reads back what render_kubeconfig writes (first cluster and user).
// Throws std::runtime_error on a malformed file.
Kubeconfig parse_kubeconfig(const std::string &yaml_text);

}  // namespace kuphost::sandbox::detail
