#include "node_files.h"

#include <cstdint>
#include <vector>

#include "distro.h"
#include "fs_util.h"
#include "manifests.h"
#include "node_state.h"
#include "package_universe.h"

namespace kuphost::sandbox::detail {
namespace {

namespace fs = std::filesystem;

// Opaque, deterministic filler for files whose content nothing parses
// (the apt keyring).
std::string filler(std::string_view seed, size_t size) {
  uint64_t x = 88172645463325252ull;
  for (unsigned char c : seed) x = (x ^ c) * 1099511628211ull;
  std::string out(size, '\0');
  for (auto &byte : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    byte = static_cast<char>(x & 0xff);
  }
  return out;
}

void write_os_files(const fs::path &root, const SandboxNode &node) {
  write_file(root / "etc/os-release", find_distro(node.distro)->os_release, 0644);
  write_file(root / "etc/hostname", node.name + "\n", 0644);
  write_file(root / "proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n", 0444);  // swap off: kubeadm's Swap check
}

void write_repository(const fs::path &root, const std::string &family, const KubeVersion &version) {
  if (family == "debian") {
    write_file(root / "etc/apt/sources.list.d/kubernetes.list", apt_sources_line(version), 0644);
    make_dirs(root / "etc/apt/keyrings", 0755);
    write_file(root / "etc/apt/keyrings/kubernetes-apt-keyring.gpg", filler("kubernetes-apt-keyring", 1216), 0644);
  } else if (family == "rhel") {
    write_file(root / "etc/yum.repos.d/kubernetes.repo", yum_repo_file(version), 0644);
  }
}

void write_kubelet_files(const fs::path &root, const KubeVersion &version) {
  make_dirs(root / "var/lib/kubelet", 0755);
  write_file(root / "var/lib/kubelet/config.yaml", kubelet_config_yaml(), 0644);
  write_file(root / "var/lib/kubelet/kubeadm-flags.env",
             "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock "
             "--pod-infra-container-image=registry.k8s.io/pause:" +
                 pause_image_for(version) + "\"\n",
             0644);
}

void write_control_plane(const fs::path &root, const NodeFilesParams &p) {
  const bool stacked = p.sandbox->etcd == "stacked";
  const fs::path manifests = root / "etc/kubernetes/manifests";
  make_dirs(manifests, 0700);
  const auto params = control_plane_params(*p.sandbox, *p.node, p.version, etcd_image_tag_for(p.version));
  for (const auto &component : control_plane_components(stacked))
    write_file(manifests / (component + ".yaml"), render_manifest(component, params), 0600);
  // Empty, as kubeadm's DirectoryOrCreate volume leaves it: the sandbox's
  // real etcd member (kuphost-apiserver runs it) initialises it on first start.
  if (stacked) make_dirs(root / "var/lib/etcd", 0700);
}

// As after kubeadm's install docs: kubeadm/kubelet/kubectl at the cluster
// version from pkgs.k8s.io, which pulled in the minor's cri-tools and
// kubernetes-cni, and the package manager's cache of that repository.
void write_node_state_file(const fs::path &root, const NodeFilesParams &p, const std::string &family) {
  NodeState state;
  state.name = p.node->name;
  state.role = p.node->role;
  state.distro = p.node->distro;
  if (p.real_packages && family != "windows") {
    state.package_source = "real";
  } else {
    for (const char *package : {"kubeadm", "kubelet", "kubectl"}) state.packages[package] = p.version.plain();
    if (family != "windows") {
      state.packages["cri-tools"] = cri_tools_version_for(p.version);
      state.packages["kubernetes-cni"] = kubernetes_cni_version_for(p.version);
    }
    // apt holds them as the install docs say; on rpm systems the repo's
    // exclude= line plays that role, and Windows has no package manager.
    if (family == "debian") {
      state.held_packages = {"kubeadm", "kubectl", "kubelet"};
      state.apt_lists = {pkgs_k8s_io_url(p.version.minor_str(), "deb")};
    } else if (family == "rhel") {
      state.dnf_cache = {{pkgs_k8s_io_url(p.version.minor_str(), "rpm"), p.sandbox->created_at}};
    }
  }
  state.units["kubelet"] = Unit{};
  state.units["containerd"] = Unit{};
  if (family == "windows") state.units["kube-proxy"] = Unit{};  // a Windows service there, a DaemonSet on Linux
  state.running_kubelet_version = p.version.plain();
  write_node_state(root, state);
}

// The node's commands, all the simulator: its name picks the command. yum
// is dnf on RHEL 8+, as there.
void link_commands(const fs::path &root, const fs::path &node_sim, const std::string &family, bool real_packages,
                   bool etcd_member) {
  make_dirs(root / "usr/bin", 0755);
  if (family == "windows") {
    // The Linux admin machine kuphost runs on for this node: it reaches the
    // node over ssh/scp (PowerShell) and the cluster with kubectl.
    for (const char *command : {"ssh", "scp", "kubectl"}) fs::create_symlink(node_sim, root / "usr/bin" / command);
    return;
  }
  // With real packages, the packages install kubeadm, kubelet and kubectl.
  std::vector<const char *> commands{"systemctl"};
  if (!real_packages || family == "windows") commands.insert(commands.end(), {"kubeadm", "kubelet", "kubectl"});
  if (family == "debian") commands.insert(commands.end(), {"apt-get", "apt-cache", "apt-mark", "dpkg-query"});
  if (family == "rhel") commands.insert(commands.end(), {"dnf", "yum", "rpm"});
  if (family != "windows") commands.push_back("curl");  // the real curl, loopback only
  // kubeadm's restore docs run etcdctl on the control plane against its member.
  if (etcd_member) commands.push_back("etcdctl");
  for (const char *command : commands) fs::create_symlink(node_sim, root / "usr/bin" / command);
}

}  // namespace

void write_node_files(const fs::path &root, const NodeFilesParams &p) {
  const std::string family = find_distro(p.node->distro)->family;
  make_dirs(root, 0755);
  write_os_files(root, *p.node);
  if (!p.real_packages) write_repository(root, family, p.version);
  make_dirs(root / "etc/kubernetes/manifests", 0700);  // the kubelet's staticPodPath, on workers too
  if (p.node->is_control_plane()) write_control_plane(root, p);
  write_kubelet_files(root, p.version);
  write_node_state_file(root, p, family);
  link_commands(root, p.node_sim, family, p.real_packages, p.node->is_control_plane() && p.sandbox->etcd == "stacked");
}

std::string apt_sources_line(const KubeVersion &version) {
  return "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] " + pkgs_k8s_io_url(version.minor_str(), "deb") +
         " /\n";
}

std::string yum_repo_file(const KubeVersion &version) {
  return yum_repo_file_at(pkgs_k8s_io_url(version.minor_str(), "rpm"));
}

std::string yum_repo_file_at(const std::string &base) {
  return "[kubernetes]\n"
         "name=Kubernetes\n"
         "baseurl=" + base + "\n"
         "enabled=1\n"
         "gpgcheck=1\n"
         "gpgkey=" + base + "repodata/repomd.xml.key\n"
         "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n";
}

std::string kubelet_config_yaml() {
  return R"(apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
)";
}

}  // namespace kuphost::sandbox::detail
