//===- windows-node/node_steps.h - the scripts of each step on the node ---===//
//
// One function per step of "Upgrading Windows nodes" (windows.md §1), each a
// PowerShell script of the contract's statements: what apply sends over ssh,
// and, put together, the script `kuphost plan -o powershell` prints for an
// operator to run by hand. Binaries are staged and checked against their
// .sha256 (only the hex digest, as dl.k8s.io publishes it) before anything
// on the node is replaced.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_WINDOWS_NODE_NODE_STEPS_H
#define KUPHOST_PLUGINS_WINDOWS_NODE_NODE_STEPS_H

#include <string>
#include <vector>

#include "powershell_script.h"

namespace kuphost_plugins::windows_node {

inline constexpr const char *kKubeadm = "kubeadm.exe";
inline constexpr const char *kKubelet = "kubelet.exe";
inline constexpr const char *kKubeProxy = "kube-proxy.exe";
// What the probe reports for a binary that is not on the node.
inline constexpr const char *kMissing = "missing";

// C:\k\<name>: where the kubeadm docs keep the Windows binaries.
std::string node_binary(const std::string &name);
// C:\k\kuphost-staging-<stamp>, C:\k\kuphost-backup-<stamp>
std::string staging_dir(const std::string &stamp);
std::string backup_dir(const std::string &stamp);
// <dir>\<name>
std::string in_dir(const std::string &dir, const std::string &name);
// The same with forward slashes, for scp's remote path.
std::string scp_path(const std::string &windows_path);
// <base>/<target>/bin/windows/amd64/<name> (dl.k8s.io's layout).
std::string binary_url(const std::string &base, const std::string &target, const std::string &name);
// The service a binary runs as; "" for kubeadm.exe.
std::string service_of(const std::string &binary);

// ---- the steps apply sends, one script each ----
// Read-only: whether kube-proxy is a Windows service and each binary's
// current SHA-256; output lines alternate key and value.
PsScript probe_script();
// Creates the staging dir and downloads <name>.sha256 into it; prints it.
PsScript fetch_checksum_script(const std::string &staging, const std::string &name, const std::string &url);
// Downloads <name> into the staging dir and checks it against the .sha256.
PsScript fetch_binary_script(const std::string &staging, const std::string &name, const std::string &url);
PsScript make_dir_script(const std::string &dir);
// Checks a staged binary (copied there by scp) against its staged .sha256.
PsScript verify_staged_script(const std::string &staging, const std::string &name);
// Copies the current binaries (and the kubelet configuration kubeadm
// upgrade node rewrites) into the backup dir.
PsScript backup_script(const std::string &backup, const std::vector<std::string> &binaries);
// Copies a staged binary over C:\k\<name> and checks the copy.
PsScript replace_script(const std::string &staging, const std::string &name);
PsScript upgrade_node_script();
// Stops in reverse order (kubelet first in `services` stops last).
PsScript stop_services_script(const std::vector<std::string> &services);
PsScript start_services_script(const std::vector<std::string> &services);
// Puts the backup's copies of `binaries` (and the kubelet configuration, when
// `kubelet_config`) back.
PsScript restore_script(const std::string &backup, const std::vector<std::string> &binaries, bool kubelet_config);
PsScript remove_dir_script(const std::string &dir);

// ---- the script an operator runs by hand ----
struct NodeScriptInput {
  std::string node, target, stamp;
  std::string base_url;   // binaries from here, unless local_dir is set
  std::string local_dir;  // air-gapped: the admin machine's directory
  std::string scp_destination;                  // "[user@]host", for the copy comments
  std::vector<std::string> drain_command;       // kubectl ... drain ...
  std::vector<std::string> status_command;      // kubectl ... get node ... -o jsonpath=...
};
// One section per phase of windows-node, in order; admin-machine steps are
// `# on the admin machine: ...` comments. The prelude (header comments,
// preferences, the kube-proxy probe) comes first.
PsScript prelude_section(const NodeScriptInput &in);
PsScript download_section(const NodeScriptInput &in);
PsScript drain_section(const NodeScriptInput &in);
PsScript upgrade_node_section(const NodeScriptInput &in);
PsScript binaries_section(const NodeScriptInput &in);
PsScript restart_section(const NodeScriptInput &in);

}  // namespace kuphost_plugins::windows_node

#endif  // KUPHOST_PLUGINS_WINDOWS_NODE_NODE_STEPS_H
