// create() and load(): the sandbox is built in a temporary sibling directory
// and renamed into place, so a failure never leaves a half-made sandbox.
#include "kuphost/sandbox/sandbox.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <set>
#include <stdexcept>
#include <system_error>

#include "apiserver_pki.h"
#include "calico_seed.h"
#include "cluster_state.h"
#include "clock_text.h"
#include "distro.h"
#include "fs_util.h"
#include "kuphost/sandbox/apiserver.h"
#include "local_mirror.h"
#include "loopback.h"
#include "node_files.h"
#include "node_pki.h"
#include "package_universe.h"
#include "real_package_root.h"
#include "real_packages.h"
#include "sandbox_file.h"
#include "version.h"
#include "windows_node_files.h"

namespace kuphost::sandbox {
namespace {

namespace fs = std::filesystem;
using namespace detail;

SandboxFile describe(const Spec &spec) {
  SandboxFile file;
  file.kubernetes_version = spec.kubernetes_version;
  file.distro = spec.distro;
  file.etcd = spec.etcd;
  file.key_type = spec.key_type;
  file.cert_validity_days = spec.cert_validity_days;
  file.packages = spec.packages;
  file.created_at = detail::now_rfc3339();
  int host = 10;
  for (const auto &n : spec.nodes)
    file.nodes.push_back({n.name, n.role, node_distro(spec.distro, n.role), "10.0.0." + std::to_string(host++)});
  return file;
}

// The pods drain has to deal with: a kube-proxy DaemonSet pod everywhere,
// static Pods' mirrors on control planes, CoreDNS's two replicas on the
// first Linux worker (or the first control plane when there is none), and a
// user workload: the two replicas of Deployment "web" in namespace default,
// one per Linux worker as the scheduler's spreading places them. No
// PodDisruptionBudget: a test adds one to make drains block.
ClusterState initial_cluster(const SandboxFile &file, const KubeVersion &version) {
  ClusterState state;
  state.kubernetes_version = version.str();
  state.coredns_version = coredns_version_for(version);
  state.kube_proxy_version = version.str();
  const SandboxNode *coredns_node = nullptr;
  for (const auto &n : file.nodes)
    if (!coredns_node && !n.is_control_plane() && find_distro(n.distro)->os == std::string_view("linux"))
      coredns_node = &n;
  for (const auto &n : file.nodes)
    if (!coredns_node && n.role == "first-control-plane") coredns_node = &n;

  for (const auto &n : file.nodes) {
    const DistroInfo &distro = *find_distro(n.distro);
    ClusterNode node;
    node.name = n.name;
    node.role = n.role;
    node.os = distro.os;
    node.address = n.address;
    node.os_image = distro.pretty_name;
    node.kernel_version = distro.kernel_version;
    node.kubelet_version = version.str();
    if (n.is_control_plane()) node.control_plane_version = version.str();
    node.created_at = file.created_at;
    const bool windows = node.os == "windows";
    const std::string proxy = windows ? "kube-proxy-windows" : "kube-proxy";
    node.pods.push_back({proxy + "-" + pod_suffix(n.name + "/" + proxy), "kube-system", "DaemonSet", proxy});
    if (n.is_control_plane()) {
      for (const auto &component : {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
        if (component == std::string_view("etcd") && file.etcd != "stacked") continue;
        node.pods.push_back({std::string(component) + "-" + n.name, "kube-system", "Node", n.name});
      }
    }
    node.pods.back().labels = {{"k8s-app", proxy}, {"controller-revision-hash", "6b9d4c6f8d"}};
    if (coredns_node == &n) {
      for (int replica = 0; replica < 2; ++replica) {
        node.pods.push_back({"coredns-7db6d8ff4d-" + pod_suffix(n.name + "/coredns/" + std::to_string(replica)),
                             "kube-system", "ReplicaSet", "coredns-7db6d8ff4d"});
        node.pods.back().labels = {{"k8s-app", "kube-dns"}, {"pod-template-hash", "7db6d8ff4d"}};
      }
    }
    state.nodes.push_back(std::move(node));
  }
  std::vector<ClusterNode *> workers;
  for (auto &n : state.nodes)
    if (!n.is_control_plane() && n.os == "linux") workers.push_back(&n);
  if (workers.empty() && coredns_node) workers.push_back(state.find(coredns_node->name));
  for (int replica = 0; replica < 2 && !workers.empty(); ++replica) {
    ClusterNode &n = *workers[static_cast<size_t>(replica) % workers.size()];
    Pod pod{"web-5d8f7c9b64-" + pod_suffix(n.name + "/web/" + std::to_string(replica)), "default", "ReplicaSet",
            "web-5d8f7c9b64"};
    pod.labels = {{"app", "web"}, {"pod-template-hash", "5d8f7c9b64"}};
    n.pods.push_back(std::move(pod));
  }
  return state;
}

// Each control plane's own kube-apiserver and each stacked control plane's
// etcd member get their own loopback ports, distinct from each other and the
// sandbox's API server, never etcd's well-known 2379/2380 (a packaged etcd on
// this machine may hold them).
void assign_loopback_ports(SandboxFile &file, int apiserver_port) {
  std::set<int> taken{apiserver_port, 2379, 2380, 2381};
  const auto pick = [&taken] {
    for (;;)
      if (const int port = pick_free_port(); taken.insert(port).second) return port;
  };
  for (auto &n : file.nodes) {
    if (!n.is_control_plane()) continue;
    n.apiserver_port = pick();
    if (file.etcd != "stacked") continue;
    n.etcd_client_port = pick();
    n.etcd_peer_port = pick();
  }
}

void build(const Spec &spec, const fs::path &staging) {
  SandboxFile file = describe(spec);
  const KubeVersion version = *KubeVersion::parse(spec.kubernetes_version);
  const KeyType key_type = *parse_key_type(spec.key_type);
  const fs::path node_sim = fs::absolute(spec.node_sim);
  std::string first_cp;
  for (const auto &n : file.nodes)
    if (n.role == "first-control-plane") first_cp = n.name;

  const bool stacked = spec.etcd == "stacked";
  size_t key_count = keys_for_cluster_cas();
  for (const auto &node : file.nodes) key_count += keys_for_node(node, stacked, version);
  KeyPool keys(key_type, key_count);
  const ClusterCas cas = make_cluster_cas(keys);
  // Every kubeconfig points at the sandbox's API server on a port free now;
  // `kuphost sandbox up` starts it there, or moves it if the port got taken.
  const int port = pick_free_port();
  const std::string server = "https://127.0.0.1:" + std::to_string(port);
  assign_loopback_ports(file, port);
  for (const auto &node : file.nodes) {
    const fs::path root = staging / "nodes" / node.name / "root";
    write_node_files(root, NodeFilesParams{&file, &node, version, node_sim, spec.packages == "real"});
    write_node_pki(root, cas,
                   NodePkiParams{node, first_cp, stacked, &keys, spec.cert_validity_days, version, server});
  }
  write_cluster(staging, initial_cluster(file, version));
  if (!spec.calico.empty()) seed_calico(staging, spec.calico, spec.calico_version);
  write_apiserver_pki(staging, cas.ca, server, spec.cert_validity_days);
  write_file(staging / "cluster/apiserver.port", std::to_string(port) + "\n", 0644);
  // Best effort: without a kubectl the sandbox still works for everything
  // else, and the nodes' kubectl says where it looked.
  std::string no_kubectl;
  if (const auto kubectl = find_real_kubectl(version.str(), &no_kubectl))
    write_file(staging / "cluster/kubectl-path", kubectl->string() + "\n", 0644);
  const PackageUniverse universe = make_package_universe(version);
  write_file(package_universe_path(staging), render_package_universe(universe), 0644);
  provision_windows_nodes(staging, file, universe, version);
  if (spec.packages == "real") {
    LocalMirrorParams mirror{&universe, node_sim, false, false};
    for (const auto &node : file.nodes) {
      const std::string family = find_distro(node.distro)->family;
      mirror.deb = mirror.deb || family == "debian";
      mirror.rpm = mirror.rpm || family == "rhel";
    }
    build_local_mirror(local_mirror_dir(staging), mirror);
  }
  write_file(sandbox_file_path(staging), render_sandbox_file(file), 0644);
}

// Replays kubeadm's install docs with the real package manager on every
// Linux node. Runs on the published sandbox: the repository files and apt's
// configuration name its final paths.
void provision_real_packages(const fs::path &dir) {
  const SandboxFile file = read_sandbox_file(dir);
  const KubeVersion version = *KubeVersion::parse(file.kubernetes_version);
  const std::string deb_revision = read_package_universe(dir).deb_revision;
  for (const auto &node : file.nodes) {
    const fs::path root = dir / "nodes" / node.name / "root";
    const std::string family = find_distro(node.distro)->family;
    try {
      if (family == "debian") provision_apt_root(root, dir, version, deb_revision);
      if (family == "rhel") provision_dnf_root(root, dir, version);
    } catch (const std::exception &e) {
      throw std::runtime_error("installing the packages on node " + node.name + ": " + e.what());
    }
  }
}

// Moves the finished sandbox into place; rename(2) replaces an empty directory.
void publish(const fs::path &staging, const fs::path &dir) {
  if (::rename(staging.c_str(), dir.c_str()) != 0)
    throw std::runtime_error("cannot move the sandbox into " + dir.string() + ": " + std::strerror(errno));
}

}  // namespace

const Node *Sandbox::find(std::string_view name) const {
  for (const auto &n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

bool create(const Spec &spec, std::string *error) {
  if (!validate(spec, error)) return false;
  fs::path staging;
  try {
    const fs::path dir = fs::absolute(spec.dir).lexically_normal();
    const fs::path target = dir.filename().empty() ? dir.parent_path() : dir;
    std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".creating-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
      throw std::runtime_error("cannot create a staging directory next to " + target.string() + ": " +
                               std::strerror(errno));
    staging = pattern;
    ::chmod(staging.c_str(), 0755);
    const bool target_existed = fs::exists(target);
    build(spec, staging);
    publish(staging, target);
    staging.clear();
    if (spec.packages == "real") {
      try {
        provision_real_packages(target);
      } catch (...) {
        // Published but unusable: take it back, leaving the (empty) directory
        // the caller may have made.
        std::error_code ignored;
        fs::remove_all(target, ignored);
        if (target_existed) fs::create_directory(target, ignored);
        throw;
      }
    }
    return true;
  } catch (const std::exception &e) {
    if (!staging.empty()) {
      std::error_code ignored;
      fs::remove_all(staging, ignored);
    }
    if (error) *error = std::string("cannot create sandbox: ") + e.what();
    return false;
  }
}

std::optional<Sandbox> load(const fs::path &dir, std::string *error) {
  try {
    const SandboxFile file = read_sandbox_file(dir);
    Sandbox sandbox;
    sandbox.dir = fs::absolute(dir).lexically_normal();
    sandbox.kubernetes_version = file.kubernetes_version;
    sandbox.distro = file.distro;
    sandbox.etcd = file.etcd;
    sandbox.packages = file.packages;
    for (const auto &n : file.nodes)
      sandbox.nodes.push_back(
          {n.name, n.role, sandbox.dir / "nodes" / n.name / "root", n.distro, n.address, n.apiserver_port});
    return sandbox;
  } catch (const std::exception &e) {
    if (error) *error = "cannot load sandbox " + dir.string() + ": " + e.what();
    return std::nullopt;
  }
}

}  // namespace kuphost::sandbox
