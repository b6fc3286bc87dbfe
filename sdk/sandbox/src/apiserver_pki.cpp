#include "apiserver_pki.h"

#include "fs_util.h"
#include "kubeconfig.h"

namespace kuphost::sandbox::detail {

std::filesystem::path apiserver_pki_dir(const std::filesystem::path &sandbox_dir) {
  return sandbox_dir / "cluster" / "pki";
}

void write_apiserver_pki(const std::filesystem::path &sandbox_dir, const KeyPair &ca, const std::string &server,
                         int validity_days) {
  const auto pki = apiserver_pki_dir(sandbox_dir);
  make_dirs(pki, 0700);
  write_file(pki / "ca.crt", cert_pem(*ca.cert), 0644);

  // ECDSA whatever the sandbox's key type: these never appear on a node, and
  // P-256 keys are generated in microseconds.
  CertSpec serving;
  serving.common_name = "kube-apiserver";
  serving.dns_names = {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"};
  serving.ip_addresses = {"127.0.0.1"};
  serving.ext_usage = kServerAuth;
  serving.validity_days = validity_days;
  const KeyPair server_pair = issue(serving, ca, generate_key(KeyType::kEcdsaP256));
  write_file(pki / "apiserver.crt", cert_pem(*server_pair.cert), 0644);
  write_file(pki / "apiserver.key", key_pem(*server_pair.key), 0600);

  CertSpec admin;
  admin.common_name = "kubernetes-admin";
  admin.organizations = {"kubeadm:cluster-admins"};
  admin.ext_usage = kClientAuth;
  admin.validity_days = validity_days;
  const KeyPair admin_pair = issue(admin, ca, generate_key(KeyType::kEcdsaP256));
  Kubeconfig conf;
  conf.server = server;
  conf.user = "kubernetes-admin";
  conf.ca_pem = cert_pem(*ca.cert);
  conf.client_cert_pem = cert_pem(*admin_pair.cert);
  conf.client_key_pem = key_pem(*admin_pair.key);
  write_file(sandbox_dir / "kubeconfig", render_kubeconfig(conf), 0600);
}

}  // namespace kuphost::sandbox::detail
