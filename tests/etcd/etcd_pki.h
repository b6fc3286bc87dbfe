// kubeadm's etcd PKI (certs.md §1), made with OpenSSL through the sandbox's
// kubeadm-shaped certificate code, in a directory laid out like
// /etc/kubernetes/pki: etcd/{ca,server,peer,healthcheck-client}.{crt,key}
// and apiserver-etcd-client.{crt,key}. Keys 0600, certificates 0644.
#pragma once

#include <filesystem>
#include <string>

namespace kuphost::test::etcd {

struct CertAndKey {
  std::filesystem::path cert, key;
};

class EtcdPki {
 public:
  // Generates the CA and the four leaves (RSA-2048, as kubeadm's default)
  // under `pki_dir`, created if missing. server and peer: CN = node name,
  // SAN DNS:<node>, DNS:localhost, IP:127.0.0.1, IP:::1, EKU serverAuth +
  // clientAuth. Throws std::runtime_error.
  static EtcdPki create(const std::filesystem::path &pki_dir, const std::string &node_name);

  const std::filesystem::path &dir() const { return dir_; }
  const std::string &node_name() const { return node_name_; }
  std::filesystem::path ca_cert() const { return dir_ / "etcd/ca.crt"; }
  CertAndKey ca() const { return pair("etcd/ca"); }
  CertAndKey server() const { return pair("etcd/server"); }
  CertAndKey peer() const { return pair("etcd/peer"); }
  CertAndKey healthcheck_client() const { return pair("etcd/healthcheck-client"); }
  CertAndKey apiserver_etcd_client() const { return pair("apiserver-etcd-client"); }

 private:
  EtcdPki(std::filesystem::path dir, std::string node_name) : dir_(std::move(dir)), node_name_(std::move(node_name)) {}
  CertAndKey pair(const std::string &base) const { return {dir_ / (base + ".crt"), dir_ / (base + ".key")}; }

  std::filesystem::path dir_;
  std::string node_name_;
};

}  // namespace kuphost::test::etcd
