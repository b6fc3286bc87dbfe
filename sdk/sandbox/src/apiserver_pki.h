// The sandbox API server's own files under DIR/cluster/pki and the admin
// kubeconfig DIR/kubeconfig, made from the cluster CA at create time: the
// server needs the CA certificate (to authenticate client certificates) and
// a serving certificate for 127.0.0.1 / localhost, as kube-apiserver has.
#pragma once

#include <filesystem>
#include <string>

#include "pki.h"

namespace kuphost::sandbox::detail {

std::filesystem::path apiserver_pki_dir(const std::filesystem::path &sandbox_dir);  // DIR/cluster/pki

// Writes ca.crt, apiserver.crt and apiserver.key (signed by `ca`) and
// DIR/kubeconfig (kubernetes-admin, O kubeadm:cluster-admins, as admin.conf)
// pointing at `server`.
void write_apiserver_pki(const std::filesystem::path &sandbox_dir, const KeyPair &ca, const std::string &server,
                         int validity_days);

}  // namespace kuphost::sandbox::detail
