#include "node_pki.h"

#include <ctime>
#include <stdexcept>

#include "clock_text.h"
#include "fs_util.h"
#include "kubeconfig.h"

namespace kuphost::sandbox::detail {
namespace {

namespace fs = std::filesystem;

constexpr const char *kPkiDir = "etc/kubernetes/pki";

// A leaf certificate: its check-expiration name, file base under pki/, and
// the base of the CA that signs it.
struct LeafFile {
  const char *name, *file, *ca;
};
constexpr LeafFile kLeaves[] = {
    {"apiserver", "apiserver", "ca"},
    {"apiserver-kubelet-client", "apiserver-kubelet-client", "ca"},
    {"front-proxy-client", "front-proxy-client", "front-proxy-ca"},
    {"etcd-server", "etcd/server", "etcd/ca"},
    {"etcd-peer", "etcd/peer", "etcd/ca"},
    {"etcd-healthcheck-client", "etcd/healthcheck-client", "etcd/ca"},
    {"apiserver-etcd-client", "apiserver-etcd-client", "etcd/ca"},
};

const LeafFile *find_leaf(const std::string &name) {
  for (const auto &leaf : kLeaves)
    if (name == leaf.name) return &leaf;
  return nullptr;
}

void write_pair(const fs::path &pki, const std::string &base, const KeyPair &pair) {
  write_file(pki / (base + ".crt"), cert_pem(*pair.cert), 0644);
  write_file(pki / (base + ".key"), key_pem(*pair.key), 0600);
}

CertSpec spec(std::string cn, std::vector<std::string> o, unsigned usage, int days) {
  CertSpec s;
  s.common_name = std::move(cn);
  s.organizations = std::move(o);
  s.ext_usage = usage;
  s.validity_days = days;
  return s;
}

// The SANs kubeadm's GetAPIServerAltNames / getAltNames produce.
CertSpec apiserver_spec(const NodePkiParams &p) {
  CertSpec s = spec("kube-apiserver", {}, kServerAuth, p.validity_days);
  s.dns_names = {p.node.name, "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                 "kubernetes.default.svc.cluster.local"};
  s.ip_addresses = {"10.96.0.1", p.node.address};
  return s;
}

CertSpec etcd_member_spec(const NodePkiParams &p) {
  CertSpec s = spec(p.node.name, {}, kServerAuth | kClientAuth, p.validity_days);
  s.dns_names = {p.node.name, "localhost"};
  s.ip_addresses = {p.node.address, "127.0.0.1", "::1"};
  return s;
}

struct ConfFile {
  const char *file, *user;
  std::vector<std::string> organizations;
};

// admin.conf's group moved from system:masters to kubeadm:cluster-admins
// with super-admin.conf in v1.29 (KEP-4214).
std::vector<ConfFile> control_plane_confs(const NodePkiParams &p) {
  const bool split_admin = p.version >= KubeVersion{1, 29, 0, {}};
  std::vector<ConfFile> confs{
      {"admin.conf", "kubernetes-admin", {split_admin ? "kubeadm:cluster-admins" : "system:masters"}},
      {"controller-manager.conf", "system:kube-controller-manager", {}},
      {"scheduler.conf", "system:kube-scheduler", {}},
  };
  if (split_admin && p.node.role == "first-control-plane")
    confs.push_back({"super-admin.conf", "kubernetes-super-admin", {"system:masters"}});
  return confs;
}

std::string kubelet_cert_timestamp() { return format_now("%Y-%m-%d-%H-%M-%S", TimeZone::kUtc); }

// The kubelet's rotated client certificate (always ECDSA P-256, as the
// kubelet generates it) and kubelet.conf pointing at it.
void write_kubelet_identity(const fs::path &root, const ClusterCas &cas, const NodePkiParams &p) {
  const KeyPair client = issue(spec("system:node:" + p.node.name, {"system:nodes"}, kClientAuth, p.validity_days),
                               cas.ca, generate_key(KeyType::kEcdsaP256));
  const fs::path kubelet_pki = root / "var/lib/kubelet/pki";
  make_dirs(kubelet_pki, 0755);
  const std::string dated = "kubelet-client-" + kubelet_cert_timestamp() + ".pem";
  write_file(kubelet_pki / dated, cert_pem(*client.cert) + key_pem(*client.key), 0600);
  fs::create_symlink(dated, kubelet_pki / "kubelet-client-current.pem");  // relative: stays inside the node root

  Kubeconfig conf;
  conf.server = !p.server.empty() ? p.server
                                  : "https://" + (p.node.is_control_plane() ? p.node.name : p.first_control_plane) + ":6443";
  conf.user = "system:node:" + p.node.name;
  conf.ca_pem = cert_pem(*cas.ca.cert);
  conf.client_cert_file = "/var/lib/kubelet/pki/kubelet-client-current.pem";
  write_file(root / "etc/kubernetes/kubelet.conf", render_kubeconfig(conf), 0600);
}

void write_control_plane_pki(const fs::path &root, const ClusterCas &cas, const NodePkiParams &p) {
  const fs::path pki = root / kPkiDir;
  make_dirs(pki, 0755);
  write_pair(pki, "ca", cas.ca);
  write_pair(pki, "front-proxy-ca", cas.front_proxy_ca);
  write_file(pki / "sa.key", key_pem(*cas.service_account), 0600);
  write_file(pki / "sa.pub", public_key_pem(*cas.service_account), 0644);
  const int days = p.validity_days;
  write_pair(pki, "apiserver", issue(apiserver_spec(p), cas.ca, p.keys->take()));
  write_pair(pki, "apiserver-kubelet-client",
             issue(spec("kube-apiserver-kubelet-client", {"system:masters"}, kClientAuth, days), cas.ca, p.keys->take()));
  write_pair(pki, "front-proxy-client",
             issue(spec("front-proxy-client", {}, kClientAuth, days), cas.front_proxy_ca, p.keys->take()));
  write_pair(pki, "apiserver-etcd-client",
             issue(spec("kube-apiserver-etcd-client", {"system:masters"}, kClientAuth, days), cas.etcd_ca, p.keys->take()));
  make_dirs(pki / "etcd", 0755);
  if (p.stacked_etcd) {
    write_pair(pki, "etcd/ca", cas.etcd_ca);
    write_pair(pki, "etcd/server", issue(etcd_member_spec(p), cas.etcd_ca, p.keys->take()));
    write_pair(pki, "etcd/peer", issue(etcd_member_spec(p), cas.etcd_ca, p.keys->take()));
    write_pair(pki, "etcd/healthcheck-client",
               issue(spec("kube-etcd-healthcheck-client", {"system:masters"}, kClientAuth, days), cas.etcd_ca,
                     p.keys->take()));
  } else {
    // kubeadm's external-etcd setup: only the etcd CA's certificate is copied.
    write_file(pki / "etcd/ca.crt", cert_pem(*cas.etcd_ca.cert), 0644);
  }
  for (const auto &conf : control_plane_confs(p)) {
    const KeyPair client = issue(spec(conf.user, conf.organizations, kClientAuth, days), cas.ca, p.keys->take());
    Kubeconfig k;
    k.server = !p.server.empty() ? p.server : "https://" + p.node.name + ":6443";
    k.user = conf.user;
    k.ca_pem = cert_pem(*cas.ca.cert);
    k.client_cert_pem = cert_pem(*client.cert);
    k.client_key_pem = key_pem(*client.key);
    write_file(root / "etc/kubernetes" / conf.file, render_kubeconfig(k), 0600);
  }
}

std::optional<KeyPair> load_ca(const fs::path &pki, const std::string &base) {
  const auto key = read_file_if_exists(pki / (base + ".key"));
  if (!key) return std::nullopt;
  return load_pair(read_file(pki / (base + ".crt")), *key);
}

bool renew_kubeconfig(const fs::path &root, const std::string &file, int validity_days) {
  const auto ca = load_ca(root / kPkiDir, "ca");
  if (!ca) return false;
  const fs::path path = root / "etc/kubernetes" / file;
  Kubeconfig conf = parse_kubeconfig(read_file(path));
  const KeyPair old = load_pair(conf.client_cert_pem, conf.client_key_pem);
  const KeyPair renewed = issue(spec_of(*old.cert, validity_days), *ca, generate_key(key_type_of(*old.key)));
  conf.client_cert_pem = cert_pem(*renewed.cert);
  conf.client_key_pem = key_pem(*renewed.key);
  write_file_atomic(path, render_kubeconfig(conf), 0600);
  return true;
}

}  // namespace

ClusterCas make_cluster_cas(KeyPool &keys) {
  ClusterCas cas;
  cas.ca = make_ca("kubernetes", keys.take());
  cas.front_proxy_ca = make_ca("front-proxy-ca", keys.take());
  cas.etcd_ca = make_ca("etcd-ca", keys.take());
  cas.service_account = keys.take();
  return cas;
}

size_t keys_for_cluster_cas() { return 4; }

size_t keys_for_node(const SandboxNode &node, bool stacked_etcd, const KubeVersion &version) {
  if (!node.is_control_plane()) return 0;
  NodePkiParams params;
  params.node = node;
  params.version = version;
  // apiserver, apiserver-kubelet-client, front-proxy-client, apiserver-etcd-client,
  // etcd server/peer/healthcheck-client, and one per kubeconfig.
  return 4 + (stacked_etcd ? 3 : 0) + control_plane_confs(params).size();
}

void write_node_pki(const fs::path &root, const ClusterCas &cas, const NodePkiParams &params) {
  if (params.node.is_control_plane()) {
    write_control_plane_pki(root, cas, params);
  } else {
    const fs::path pki = root / kPkiDir;
    make_dirs(pki, 0755);
    write_file(pki / "ca.crt", cert_pem(*cas.ca.cert), 0644);
  }
  write_kubelet_identity(root, cas, params);
}

std::vector<std::string> certs_renewed_with(const std::string &component, bool stacked_etcd) {
  if (component == "etcd") return {"etcd-server", "etcd-peer", "etcd-healthcheck-client"};
  if (component == "kube-apiserver") {
    std::vector<std::string> out{"apiserver", "apiserver-kubelet-client", "front-proxy-client"};
    if (stacked_etcd) out.emplace_back("apiserver-etcd-client");
    return out;
  }
  if (component == "kube-controller-manager") return {"controller-manager.conf"};
  if (component == "kube-scheduler") return {"scheduler.conf"};
  return {};
}

bool renew_cert(const fs::path &root, const std::string &name, int validity_days) {
  if (name.size() > 5 && name.ends_with(".conf")) return renew_kubeconfig(root, name, validity_days);
  const LeafFile *leaf = find_leaf(name);
  if (!leaf) throw std::logic_error("unknown certificate " + name);
  const fs::path pki = root / kPkiDir;
  const auto ca = load_ca(pki, leaf->ca);
  if (!ca) return false;
  const KeyPair old = load_pair(read_file(pki / (std::string(leaf->file) + ".crt")),
                                read_file(pki / (std::string(leaf->file) + ".key")));
  write_pair(pki, leaf->file, issue(spec_of(*old.cert, validity_days), *ca, generate_key(key_type_of(*old.key))));
  return true;
}

}  // namespace kuphost::sandbox::detail
