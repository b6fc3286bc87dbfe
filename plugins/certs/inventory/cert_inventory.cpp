#include "cert_inventory.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <variant>

#include "go_text.h"
#include "kubeconfig_user.h"
#include "pem_certificate.h"

namespace kuphost_plugins::certs {
namespace {

constexpr const char *kPki = "/etc/kubernetes/pki/";
constexpr const char *kKubeletClient = "/var/lib/kubelet/pki/kubelet-client-current.pem";

struct Authority {
  const char *name, *file_base;
  bool etcd;
};
// certlist.go's CAs; etcd-ca only with stacked etcd (GetCertsWithoutEtcd).
constexpr Authority kAuthorities[] = {
    {"ca", "ca", false},
    {"etcd-ca", "etcd/ca", true},
    {"front-proxy-ca", "front-proxy-ca", false},
};

struct Leaf {
  const char *name, *file_base, *ca;
  bool etcd;  // left out with external etcd
};
constexpr Leaf kLeaves[] = {
    {"apiserver", "apiserver", "ca", false},
    {"apiserver-etcd-client", "apiserver-etcd-client", "etcd-ca", true},
    {"apiserver-kubelet-client", "apiserver-kubelet-client", "ca", false},
    {"etcd-healthcheck-client", "etcd/healthcheck-client", "etcd-ca", true},
    {"etcd-peer", "etcd/peer", "etcd-ca", true},
    {"etcd-server", "etcd/server", "etcd-ca", true},
    {"front-proxy-client", "front-proxy-client", "front-proxy-ca", false},
};

// The kubeconfigs whose embedded client certificates the renewal manager
// handles (manager.go; super-admin.conf since 1.29). kubelet.conf is not one.
constexpr const char *kKubeconfigs[] = {"admin.conf", "controller-manager.conf", "scheduler.conf",
                                        "super-admin.conf"};

std::optional<std::string> read_if_exists(const std::filesystem::path &path, std::string &error) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!(in && text << in.rdbuf())) {
    error = "cannot read the file";
    return std::string();
  }
  return text.str();
}

void set_not_after(CertStatus &row, const std::string &pem, int64_t now_unix_ms) {
  const auto parsed = pem_not_after(pem);
  if (const auto *reason = std::get_if<std::string>(&parsed)) {
    row.error = *reason;
    return;
  }
  row.not_after_unix = std::get<int64_t>(parsed);
  row.residual_seconds = residual_seconds(row.not_after_unix, now_unix_ms);
}

// A PEM file: a .crt, or the kubelet's combined cert+key .pem.
CertStatus read_pem_file(const PathResolver &resolve, std::string name, std::string node_path, int64_t now_unix_ms) {
  CertStatus row;
  row.name = std::move(name);
  row.node_path = std::move(node_path);
  const auto text = read_if_exists(resolve(row.node_path), row.error);
  if (!text) row.missing = true;
  else if (row.error.empty()) set_not_after(row, *text, now_unix_ms);
  return row;
}

// The PEM of that user's client certificate, embedded (kubeadm's files) or
// referenced by path.
std::string client_certificate_pem(const PathResolver &resolve, const std::string &yaml_text) {
  const auto found = kubeconfig_current_user(YAML::Load(yaml_text));
  if (!found || !found->IsMap()) throw std::runtime_error("no user in the kubeconfig");
  const YAML::Node &user = *found;
  if (const auto data = user["client-certificate-data"]) {
    std::string pem;
    if (!base64_decode(data.as<std::string>(""), pem)) throw std::runtime_error("client-certificate-data is not base64");
    return pem;
  }
  if (const auto file = user["client-certificate"]) {
    std::string error;
    const auto pem = read_if_exists(resolve(file.as<std::string>("")), error);
    if (!pem || !error.empty()) throw std::runtime_error("cannot read client-certificate " + file.as<std::string>(""));
    return *pem;
  }
  throw std::runtime_error("the kubeconfig's user has no client certificate");
}

CertStatus read_kubeconfig(const PathResolver &resolve, const std::string &file, int64_t now_unix_ms) {
  CertStatus row;
  row.name = file;
  row.node_path = "/etc/kubernetes/" + file;
  row.ca_name = "ca";  // newer kubeadm prints it; older left the column empty
  const auto text = read_if_exists(resolve(row.node_path), row.error);
  if (!text) {
    row.missing = true;
    return row;
  }
  if (!row.error.empty()) return row;
  try {
    set_not_after(row, client_certificate_pem(resolve, *text), now_unix_ms);
  } catch (const std::exception &e) {  // YAML::Exception included
    row.error = e.what();
  }
  return row;
}

std::string kubelet_warning(const CertStatus &cert) {
  if (!cert.readable()) return {};
  const std::string advice =
      "; kubeadm does not renew kubelet.conf: check the kubelet's client certificate rotation "
      "(rotateCertificates) or renew it by hand";
  if (cert.residual_seconds <= 0) return "the kubelet client certificate " + cert.node_path + " has expired" + advice;
  if (cert.residual_seconds < kKubeletWarningDays * 86400)
    return "the kubelet client certificate " + cert.node_path + " expires in " +
           short_human_duration(cert.residual_seconds) + advice;
  return {};
}

bool by_name(const CertStatus &a, const CertStatus &b) { return a.name < b.name; }

}  // namespace

ExpirationInventory read_inventory(const PathResolver &resolve, EtcdTopology etcd, int64_t now_unix_ms) {
  const bool stacked = etcd == EtcdTopology::kStacked;
  ExpirationInventory inv;
  inv.now_unix_ms = now_unix_ms;
  for (const auto &ca : kAuthorities) {
    if (ca.etcd && !stacked) continue;
    CertStatus row = read_pem_file(resolve, ca.name, std::string(kPki) + ca.file_base + ".crt", now_unix_ms);
    // kubeadm's external CA mode: the certificate without its key.
    std::error_code ec;
    row.externally_managed =
        !row.missing && !std::filesystem::exists(resolve(std::string(kPki) + ca.file_base + ".key"), ec);
    inv.authorities.push_back(std::move(row));
  }
  const auto external = [&](const std::string &ca_name) {
    for (const auto &ca : inv.authorities)
      if (ca.name == ca_name) return ca.externally_managed;
    return false;
  };
  for (const auto &leaf : kLeaves) {
    if (leaf.etcd && !stacked) continue;
    CertStatus row = read_pem_file(resolve, leaf.name, std::string(kPki) + leaf.file_base + ".crt", now_unix_ms);
    row.ca_name = leaf.ca;
    row.externally_managed = external(leaf.ca);
    inv.certificates.push_back(std::move(row));
  }
  for (const char *file : kKubeconfigs) {
    CertStatus row = read_kubeconfig(resolve, file, now_unix_ms);
    row.externally_managed = external("ca");
    inv.certificates.push_back(std::move(row));
  }
  std::sort(inv.certificates.begin(), inv.certificates.end(), by_name);
  std::sort(inv.authorities.begin(), inv.authorities.end(), by_name);

  inv.kubelet_client.cert = read_pem_file(resolve, "kubelet-client", kKubeletClient, now_unix_ms);
  inv.kubelet_client.cert.ca_name = "ca";
  inv.kubelet_client.warning = kubelet_warning(inv.kubelet_client.cert);
  return inv;
}

}  // namespace kuphost_plugins::certs
