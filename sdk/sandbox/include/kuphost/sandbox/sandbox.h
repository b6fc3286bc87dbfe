// The sandbox: kuphost's built-in stand-in for a kubeadm cluster. A directory
// holds one root filesystem per node plus simulated node commands (kubeadm,
// kubelet, systemctl, and apt or dnf per distro family) that behave like the
// real ones, and a simulated API server the nodes' real kubectl talks to
// (apiserver.h), so plugin authors and kuphost's own tests can run upgrades
// without a cluster.
//
// Layout of a sandbox directory:
//   sandbox.yaml             the spec it was created from (per-node distro)
//   cluster/cluster.yaml     the simulated API state shared by all nodes
//   cluster/packages.yaml    the simulated pkgs.k8s.io, one repository per minor
//   kubeconfig               admin credentials for the sandbox's API server
//   nodes/<name>/root/       each node's root filesystem
//   cluster/etcd-<node>.*    the real etcd member of a stacked control plane (etcd.h)
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost::sandbox {

struct NodeSpec {
  std::string name;  // [a-z0-9-]+
  std::string role;  // first-control-plane | other-control-plane | worker
};

struct Spec {
  std::filesystem::path dir;                   // created; must not exist or be empty
  std::string kubernetes_version = "v1.30.5";  // vMAJOR.MINOR.PATCH
  std::string distro = "ubuntu-24.04";         // ubuntu-24.04 | debian-12 | rhel-9 | windows-2022
  std::vector<NodeSpec> nodes;                 // unique names; exactly one first-control-plane
  std::string etcd = "stacked";                // stacked | external
  std::filesystem::path node_sim;              // the kuphost-node-sim executable linked into nodes
  int cert_validity_days = 365;                // leaf certs; CAs get 10 years, as kubeadm
  std::string key_type = "rsa-2048";           // rsa-2048 | ecdsa-p256 (ecdsa is faster for tests)
  // simulated: node-sim plays apt/dnf against cluster/packages.yaml.
  // real: this machine's apt and dnf on real package roots, served by a
  // local signed mirror of pkgs.k8s.io (needs dpkg-deb, apt-ftparchive, gpg;
  // rpmbuild, rpmsign, createrepo_c, dnf for rhel-9).
  std::string packages = "simulated";
  // Calico installed as after its docs: "" (none), operator or manifest
  // (objects in cluster/objects.yaml, rolled out; calico.h).
  std::string calico;
  std::string calico_version = "v3.29.1";
};

struct Node {
  std::string name, role;
  std::filesystem::path root;
  std::string distro;   // windows-2022 sandboxes keep their control planes on ubuntu-24.04
  std::string address;  // the simulated InternalIP
  // Control planes: the loopback port of the node's own kube-apiserver
  // (kuphost-apiserver serves it while the static Pod's manifest is in
  // place). 0 on workers and on sandboxes made before it existed.
  int apiserver_port = 0;
};

struct Sandbox {
  std::filesystem::path dir;
  // As created; the simulated cluster's current version is in cluster.yaml.
  std::string kubernetes_version, distro, etcd;
  std::string packages;  // simulated | real
  std::vector<Node> nodes;

  // nullptr when there is no node of that name.
  const Node *find(std::string_view name) const;
};

// Validates everything before writing anything, builds the sandbox in a
// temporary sibling directory and renames it into place, so on failure
// nothing is left behind. Returns false and sets *error to one line that says
// what to fix, e.g. "unknown distro 'ubuntu-22'; use one of ubuntu-24.04, ...".
// Never throws.
bool create(const Spec &spec, std::string *error);

// The checks create() runs first; writes nothing. Never throws.
bool validate(const Spec &spec, std::string *error);

// Reads DIR/sandbox.yaml. Never throws.
std::optional<Sandbox> load(const std::filesystem::path &dir, std::string *error);

// "cp1:first-control-plane" -> {cp1, first-control-plane}. Never throws.
std::optional<NodeSpec> parse_node(std::string_view item, std::string *error);

// "cp1:first-control-plane,w1:worker" -> its nodes, checked as create() would
// (names, roles, duplicates, exactly one first control plane). Never throws.
std::optional<std::vector<NodeSpec>> parse_node_list(std::string_view text, std::string *error);

// The accepted values, in the order error messages list them.
const std::vector<std::string> &supported_distros();
const std::vector<std::string> &supported_roles();
const std::vector<std::string> &supported_etcd_topologies();
const std::vector<std::string> &supported_key_types();
const std::vector<std::string> &supported_package_sources();

}  // namespace kuphost::sandbox
