// The sandbox's real etcd members: one per stacked control plane, run by
// kuphost-apiserver (apiserver/etcd_supervisor.h) as the node's kubelet would
// run the etcd static Pod. What the supervisor, node-sim's etcdctl and the
// public wait_for_etcd_member share: where a member's files are, and the
// etcd command line built from the node's etcd.yaml.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sandbox_file.h"

namespace kuphost::sandbox::detail {

// DIR/cluster/etcd-<node>.pid while the member runs, .log its output.
std::filesystem::path etcd_member_pid_path(const std::filesystem::path &sandbox_dir, const std::string &node);
std::filesystem::path etcd_member_log_path(const std::filesystem::path &sandbox_dir, const std::string &node);

// <root>/etc/kubernetes/manifests/etcd.yaml
std::filesystem::path etcd_manifest_path(const std::filesystem::path &root);

// The real etcd and etcdctl: $KUPHOST_ETCD / $KUPHOST_ETCDCTL, else the one
// in the system PATH; empty when there is none.
std::filesystem::path real_etcd_binary();
std::filesystem::path real_etcdctl_binary();

// "--name=cp1" -> {"name": "cp1"}: the etcd container's command flags.
// Throws std::runtime_error when the manifest is not a Pod with a command.
std::map<std::string, std::string> etcd_manifest_flags(const std::string &manifest_text);

// `node_path` ("/var/lib/etcd") inside the node's root.
std::filesystem::path in_root(const std::filesystem::path &root, const std::string &node_path);

// "https://127.0.0.1:<port>"
std::string loopback_url(int port);

// The member's etcd argv (argv[0] = `etcd`): names, data dir and certificate
// paths from the manifest (mapped into `root`), URLs on the member's own
// loopback ports, and an initial cluster of every stacked control plane of
// `sandbox` with state "new" (used only while the data dir is empty: etcd
// ignores --initial-* once it has a WAL, e.g. after `snapshot restore`).
std::vector<std::string> etcd_member_argv(const std::filesystem::path &etcd, const SandboxFile &sandbox,
                                          const SandboxNode &node, const std::filesystem::path &root,
                                          const std::string &manifest_text);

// The pid recorded for the node's member when that process is alive.
std::optional<int> running_etcd_member_pid(const std::filesystem::path &sandbox_dir, const std::string &node);

}  // namespace kuphost::sandbox::detail
