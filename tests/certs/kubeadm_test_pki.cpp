#include "kubeadm_test_pki.h"

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <fstream>
#include <stdexcept>

#include "kubeconfig.h"
#include "pki.h"

namespace kuphost::test::certs {
namespace {

namespace fs = std::filesystem;
namespace pki = kuphost::sandbox::detail;

void write_text(const fs::path &path, const std::string &text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!(out << text)) throw std::runtime_error("cannot write " + path.string());
}

class Generator {
 public:
  Generator(fs::path root, const TestPkiLayout &layout) : root_(std::move(root)), layout_(layout) {}

  void run() {
    const pki::KeyPair ca = make_ca("ca", "ca", "kubernetes");
    const pki::KeyPair front_proxy_ca = make_ca("front-proxy-ca", "front-proxy-ca", "front-proxy-ca");
    const pki::KeyPair etcd_ca = layout_.stacked_etcd ? make_ca("etcd-ca", "etcd/ca", "etcd-ca")
                                                      : dated(pki::make_ca("etcd-ca", key()), nullptr, "etcd-ca");
    if (!layout_.stacked_etcd) write_text(pki_dir() / "etcd/ca.crt", pki::cert_pem(*etcd_ca.cert));

    pki::CertSpec apiserver = spec("kube-apiserver", {}, pki::kServerAuth);
    apiserver.dns_names = {"cp1", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                           "kubernetes.default.svc.cluster.local"};
    apiserver.ip_addresses = {"10.96.0.1", "192.0.2.10"};
    leaf("apiserver", "apiserver", apiserver, ca);
    leaf("apiserver-kubelet-client", "apiserver-kubelet-client",
         spec("kube-apiserver-kubelet-client", {"system:masters"}, pki::kClientAuth), ca);
    leaf("front-proxy-client", "front-proxy-client", spec("front-proxy-client", {}, pki::kClientAuth),
         front_proxy_ca);
    leaf("apiserver-etcd-client", "apiserver-etcd-client",
         spec("kube-apiserver-etcd-client", {"system:masters"}, pki::kClientAuth), etcd_ca);
    if (layout_.stacked_etcd) {
      pki::CertSpec member = spec("cp1", {}, pki::kServerAuth | pki::kClientAuth);
      member.dns_names = {"cp1", "localhost"};
      member.ip_addresses = {"192.0.2.10", "127.0.0.1", "::1"};
      leaf("etcd-server", "etcd/server", member, etcd_ca);
      leaf("etcd-peer", "etcd/peer", member, etcd_ca);
      leaf("etcd-healthcheck-client", "etcd/healthcheck-client",
           spec("kube-etcd-healthcheck-client", {"system:masters"}, pki::kClientAuth), etcd_ca);
    }
    kubeconfig("admin.conf", "kubernetes-admin", {"kubeadm:cluster-admins"}, ca);
    kubeconfig("super-admin.conf", "kubernetes-super-admin", {"system:masters"}, ca);
    kubeconfig("controller-manager.conf", "system:kube-controller-manager", {}, ca);
    kubeconfig("scheduler.conf", "system:kube-scheduler", {}, ca);
    kubelet_client(ca);
  }

 private:
  fs::path pki_dir() const { return root_ / "etc/kubernetes/pki"; }
  static pki::KeyPtr key() { return pki::generate_key(pki::KeyType::kEcdsaP256); }  // fast to generate

  int64_t not_after(const std::string &name, bool is_ca) const {
    const auto it = layout_.not_after.find(name);
    return it != layout_.not_after.end() ? it->second : is_ca ? layout_.ca_not_after : layout_.leaf_not_after;
  }

  // The generator dates certificates from the wall clock; the tests need an
  // exact notAfter, so it is set and the certificate signed again.
  pki::KeyPair dated(pki::KeyPair pair, const pki::KeyPair *issuer, const std::string &name) const {
    if (!ASN1_TIME_set(X509_getm_notAfter(pair.cert.get()), static_cast<time_t>(not_after(name, !issuer))) ||
        X509_sign(pair.cert.get(), issuer ? issuer->key.get() : pair.key.get(), EVP_sha256()) <= 0)
      throw std::runtime_error("cannot re-date " + name);
    return pair;
  }

  static pki::CertSpec spec(std::string cn, std::vector<std::string> o, unsigned usage) {
    pki::CertSpec s;
    s.common_name = std::move(cn);
    s.organizations = std::move(o);
    s.ext_usage = usage;
    return s;
  }

  void write_pair(const std::string &base, const pki::KeyPair &pair) const {
    write_text(pki_dir() / (base + ".crt"), pki::cert_pem(*pair.cert));
    write_text(pki_dir() / (base + ".key"), pki::key_pem(*pair.key));
  }

  pki::KeyPair make_ca(const std::string &name, const std::string &base, const std::string &cn) const {
    pki::KeyPair pair = dated(pki::make_ca(cn, key()), nullptr, name);
    write_pair(base, pair);
    return pair;
  }

  void leaf(const std::string &name, const std::string &base, const pki::CertSpec &s, const pki::KeyPair &ca) const {
    write_pair(base, dated(pki::issue(s, ca, key()), &ca, name));
  }

  void kubeconfig(const std::string &file, const std::string &user, std::vector<std::string> o,
                  const pki::KeyPair &ca) const {
    const pki::KeyPair client = dated(pki::issue(spec(user, std::move(o), pki::kClientAuth), ca, key()), &ca, file);
    pki::Kubeconfig k;
    k.server = "https://cp1:6443";
    k.user = user;
    k.ca_pem = pki::cert_pem(*ca.cert);
    k.client_cert_pem = pki::cert_pem(*client.cert);
    k.client_key_pem = pki::key_pem(*client.key);
    write_text(root_ / "etc/kubernetes" / file, pki::render_kubeconfig(k));
  }

  // As the kubelet keeps it: a dated cert+key file and the -current link.
  void kubelet_client(const pki::KeyPair &ca) const {
    const pki::KeyPair client = dated(
        pki::issue(spec("system:node:cp1", {"system:nodes"}, pki::kClientAuth), ca, key()), &ca, "kubelet-client");
    const fs::path dir = root_ / "var/lib/kubelet/pki";
    write_text(dir / "kubelet-client-2026-01-01-00-00-00.pem", pki::cert_pem(*client.cert) + pki::key_pem(*client.key));
    fs::create_symlink("kubelet-client-2026-01-01-00-00-00.pem", dir / "kubelet-client-current.pem");
    pki::Kubeconfig k;
    k.server = "https://cp1:6443";
    k.user = "system:node:cp1";
    k.ca_pem = pki::cert_pem(*ca.cert);
    k.client_cert_file = "/var/lib/kubelet/pki/kubelet-client-current.pem";
    write_text(root_ / "etc/kubernetes/kubelet.conf", pki::render_kubeconfig(k));
  }

  fs::path root_;
  const TestPkiLayout &layout_;
};

}  // namespace

void write_test_pki(const std::filesystem::path &root, const TestPkiLayout &layout) { Generator(root, layout).run(); }

kuphost_plugins::certs::PathResolver under_root(const std::filesystem::path &root) {
  return [root](const std::string &node_path) { return root / std::filesystem::path(node_path).relative_path(); };
}

}  // namespace kuphost::test::certs
