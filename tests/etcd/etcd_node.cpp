#include "etcd_node.h"

#include <chrono>
#include <stdexcept>

#include "core/backup_catalog.h"
#include "test_support.h"

namespace kuphost::test::etcd {
namespace {

using namespace std::chrono_literals;
namespace eb = kuphost_plugins::etcd_backup;

std::string mapped(const std::filesystem::path &root, const std::string &arg) {
  if (!arg.empty() && arg[0] == '/') return (root / arg.substr(1)).string();
  const auto eq = arg.find("=/");
  if (arg.rfind("--", 0) == 0 && eq != std::string::npos) return arg.substr(0, eq + 1) + (root / arg.substr(eq + 2)).string();
  return arg;
}

std::string etcd_yaml(const RealEtcd &etcd) {
  // kubeadm's etcd.yaml command, with this member's ports.
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n"
         "  - command:\n    - etcd\n    - --advertise-client-urls=" + etcd.client_url() +
         "\n    - --cert-file=/etc/kubernetes/pki/etcd/server.crt\n    - --client-cert-auth=true\n"
         "    - --data-dir=/var/lib/etcd/data\n    - --initial-advertise-peer-urls=" + etcd.peer_url() +
         "\n    - --initial-cluster=" + etcd.name() + "=" + etcd.peer_url() +
         "\n    - --key-file=/etc/kubernetes/pki/etcd/server.key\n    - --listen-client-urls=" + etcd.client_url() +
         "\n    - --listen-peer-urls=" + etcd.peer_url() + "\n    - --name=" + etcd.name() +
         "\n    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt\n    image: registry.k8s.io/etcd:3.5.15-0\n"
         "    name: etcd\n";
}

}  // namespace

eb::CommandResult NodeRootRunner::run(const eb::Command &command) {
  eb::Command c = command;
  for (std::size_t i = 1; i < c.argv.size(); ++i) c.argv[i] = mapped(root_, c.argv[i]);
  return inner_.run(c);
}

EtcdNode::EtcdNode(const std::filesystem::path &root, const std::string &name)
    : root_(root), pki_(EtcdPki::create(root / "etc/kubernetes/pki", name)), runner_(root) {
  RealEtcdOptions options;
  etcd_ = std::make_unique<RealEtcd>(root / "var/lib/etcd", pki_, options);
  std::filesystem::create_directories(root / "etc/kubernetes/manifests");
  write_file(root / "etc/kubernetes/manifests/etcd.yaml", etcd_yaml(*etcd_));
  write_file(root / "etc/kubernetes/manifests/kube-apiserver.yaml",
             "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\nspec:\n  containers:\n  - command:\n"
             "    - kube-apiserver\n    - --etcd-servers=" + etcd_->client_url() + "\n    name: kube-apiserver\n");
  write_file(root / "etc/kubernetes/admin.conf", "apiVersion: v1\nkind: Config\n");
  write_file(root / "var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\n");
  write_file(root / "etc/apt/sources.list.d/kubernetes.list",
             "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
             "https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n");
}

EtcdNode::~EtcdNode() { stop_kubelet(); }

eb::PathResolver EtcdNode::resolver() const {
  const auto root = root_;
  return [root](const std::string &node_path) { return root / node_path.substr(1); };
}

void EtcdNode::start_kubelet() {
  kubelet_running_ = true;
  kubelet_ = std::thread([this] {
    const auto manifest = root_ / "etc/kubernetes/manifests/etcd.yaml";
    while (kubelet_running_) {
      const bool wanted = std::filesystem::exists(manifest);
      try {
        if (!wanted && etcd_->running()) etcd_->stop();
        else if (wanted && !etcd_->running()) etcd_->restart();
      } catch (const std::exception &) {
        // Like a crash-looping pod: tried again on the next round; a restore
        // waiting for health times out if it never starts.
      }
      std::this_thread::sleep_for(50ms);
    }
  });
}

void EtcdNode::stop_kubelet() {
  kubelet_running_ = false;
  if (kubelet_.joinable()) kubelet_.join();
}

eb::BackupRequest EtcdNode::backup_request() const {
  eb::BackupRequest r;
  r.etcd = eb::stacked_member(read_file(root_ / "etc/kubernetes/manifests/etcd.yaml"));
  r.node_name = etcd_->name();
  r.kubernetes_version = "v1.30.5";
  r.backup_dir = "/var/lib/kuphost/etcd-backups";
  r.trees = {"/etc/kubernetes/manifests", "/etc/kubernetes/pki"};
  r.files = {"/etc/kubernetes/admin.conf", "/var/lib/kubelet/config.yaml", "/etc/apt/sources.list.d/kubernetes.list"};
  r.etcdctl.dial_timeout = 3s;
  r.etcdctl.command_timeout = 30s;
  return r;
}

eb::RestoreRequest EtcdNode::restore_request(const std::string &name) const {
  eb::RestoreRequest r;
  r.backup = eb::find_backup(resolver(), "/var/lib/kuphost/etcd-backups", "/etc/kubernetes/tmp", name);
  r.backup_dir = "/var/lib/kuphost/etcd-backups";
  r.stop_timeout = 20s;
  r.health_timeout = 30s;
  return r;
}

eb::Waiting real_waiting() {
  const auto start = std::chrono::steady_clock::now();
  return eb::Waiting{[](std::chrono::milliseconds ms) { std::this_thread::sleep_for(ms); },
                     [start] {
                       return std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start);
                     }};
}

}  // namespace kuphost::test::etcd
