#include "etcd_members.h"

#include <signal.h>

#include <cstdlib>
#include <stdexcept>

#include "fs_util.h"
#include "tool_process.h"
#include "yaml_io.h"

namespace kuphost::sandbox::detail {
namespace {

namespace fs = std::filesystem;

fs::path binary_from(const char *env_name, const std::string &program) {
  if (const char *env = std::getenv(env_name); env && *env) return env;
  return find_system_tool(program);
}

std::string flag_or(const std::map<std::string, std::string> &flags, const std::string &name,
                    const std::string &fallback) {
  const auto it = flags.find(name);
  return it == flags.end() || it->second.empty() ? fallback : it->second;
}

}  // namespace

fs::path etcd_member_pid_path(const fs::path &sandbox_dir, const std::string &node) {
  return sandbox_dir / "cluster" / ("etcd-" + node + ".pid");
}

fs::path etcd_member_log_path(const fs::path &sandbox_dir, const std::string &node) {
  return sandbox_dir / "cluster" / ("etcd-" + node + ".log");
}

fs::path etcd_manifest_path(const fs::path &root) { return root / "etc/kubernetes/manifests/etcd.yaml"; }

fs::path real_etcd_binary() { return binary_from("KUPHOST_ETCD", "etcd"); }
fs::path real_etcdctl_binary() { return binary_from("KUPHOST_ETCDCTL", "etcdctl"); }

std::map<std::string, std::string> etcd_manifest_flags(const std::string &manifest_text) {
  const YAML::Node pod = load_yaml(manifest_text, "etcd.yaml");
  const YAML::Node command = pod["spec"]["containers"][0]["command"];
  if (!command || !command.IsSequence()) throw std::runtime_error("etcd.yaml: no spec.containers[0].command");
  std::map<std::string, std::string> flags;
  for (const auto &item : command) {
    const auto text = item.as<std::string>("");
    if (text.rfind("--", 0) != 0) continue;
    const auto eq = text.find('=');
    flags[text.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] =
        eq == std::string::npos ? "true" : text.substr(eq + 1);
  }
  return flags;
}

fs::path in_root(const fs::path &root, const std::string &node_path) {
  const fs::path p(node_path);
  return p.is_absolute() ? root / p.relative_path() : root / p;
}

std::string loopback_url(int port) { return "https://127.0.0.1:" + std::to_string(port); }

std::vector<std::string> etcd_member_argv(const fs::path &etcd, const SandboxFile &sandbox, const SandboxNode &node,
                                          const fs::path &root, const std::string &manifest_text) {
  const auto flags = etcd_manifest_flags(manifest_text);
  const auto file = [&](const std::string &name, const std::string &fallback) {
    return "--" + name + "=" + in_root(root, flag_or(flags, name, fallback)).string();
  };
  std::string initial_cluster;
  for (const auto &n : sandbox.nodes)
    if (n.is_control_plane() && n.has_etcd_member())
      initial_cluster += (initial_cluster.empty() ? "" : ",") + n.name + "=" + loopback_url(n.etcd_peer_port);
  const std::string client = loopback_url(node.etcd_client_port), peer = loopback_url(node.etcd_peer_port);
  // kubeadm's own listen/advertise URLs name the node's address and 2379/2380;
  // here every member has its own loopback ports, so those come from sandbox.yaml.
  // No --listen-metrics-urls: kubeadm's 127.0.0.1:2381 would clash between members.
  return {etcd.string(),
          "--name=" + flag_or(flags, "name", node.name),
          file("data-dir", "/var/lib/etcd"),
          "--listen-client-urls=" + client,
          "--advertise-client-urls=" + client,
          "--listen-peer-urls=" + peer,
          "--initial-advertise-peer-urls=" + peer,
          "--initial-cluster=" + initial_cluster,
          "--initial-cluster-state=new",
          file("cert-file", "/etc/kubernetes/pki/etcd/server.crt"),
          file("key-file", "/etc/kubernetes/pki/etcd/server.key"),
          "--client-cert-auth=" + flag_or(flags, "client-cert-auth", "true"),
          file("trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
          file("peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"),
          file("peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"),
          "--peer-client-cert-auth=" + flag_or(flags, "peer-client-cert-auth", "true"),
          file("peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
          "--snapshot-count=" + flag_or(flags, "snapshot-count", "10000"),
          // etcd 3.4 writes zap logs only to a stream; capnslog is deprecated.
          "--logger=zap",
          "--log-outputs=stderr"};
}

std::optional<int> running_etcd_member_pid(const fs::path &sandbox_dir, const std::string &node) {
  const auto text = read_file_if_exists(etcd_member_pid_path(sandbox_dir, node));
  if (!text) return std::nullopt;
  int pid = 0;
  try {
    pid = std::stoi(*text);
  } catch (const std::exception &) {
    return std::nullopt;
  }
  if (pid <= 0 || ::kill(pid, 0) != 0) return std::nullopt;
  // A zombie (exited, not reaped yet) is not running.
  const auto stat = read_file_if_exists("/proc/" + std::to_string(pid) + "/stat");
  if (stat) {
    const auto paren = stat->rfind(')');
    if (paren != std::string::npos && paren + 2 < stat->size() && (*stat)[paren + 2] == 'Z') return std::nullopt;
  }
  return pid;
}

}  // namespace kuphost::sandbox::detail
