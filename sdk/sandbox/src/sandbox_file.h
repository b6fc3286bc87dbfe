// DIR/sandbox.yaml: the spec a sandbox was created from, with each node's
// distro and simulated address. The node simulator reads it to regenerate
// static Pod manifests the way kubeadm regenerates them from its config.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost::sandbox::detail {

struct SandboxNode {
  std::string name, role, distro, address;
  // The loopback ports of this node's real etcd member (stacked control
  // planes only, 0 otherwise): picked at create, never 2379/2380, which a
  // packaged etcd on this machine may hold.
  int etcd_client_port = 0, etcd_peer_port = 0;
  // The loopback port where kuphost-apiserver serves this control plane's
  // own kube-apiserver (its static Pod); 0 on workers and older sandboxes.
  int apiserver_port = 0;
  bool is_control_plane() const { return role != "worker"; }
  bool has_etcd_member() const { return etcd_client_port > 0 && etcd_peer_port > 0; }
};

struct SandboxFile {
  std::string kubernetes_version, distro, etcd, key_type;
  std::string packages = "simulated";  // simulated | real (Spec::packages)
  int cert_validity_days = 365;
  std::string created_at;  // RFC 3339, UTC
  std::vector<SandboxNode> nodes;

  const SandboxNode *find(std::string_view name) const;
};

std::filesystem::path sandbox_file_path(const std::filesystem::path &sandbox_dir);
std::string render_sandbox_file(const SandboxFile &file);
SandboxFile parse_sandbox_file(const std::string &text);  // throws std::runtime_error
SandboxFile read_sandbox_file(const std::filesystem::path &sandbox_dir);

}  // namespace kuphost::sandbox::detail
