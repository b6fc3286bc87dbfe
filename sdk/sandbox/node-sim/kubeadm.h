// kubeadm's subcommands and the helpers `upgrade plan/apply/node` share.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cluster_state.h"
#include "flags.h"
#include "invocation.h"
#include "sandbox_file.h"
#include "version.h"

namespace kuphost::sandbox::sim {

// `binary` is the version of a Windows node's kubeadm.exe (the file, not a
// package); empty: the kubeadm package installed on the node.
int kubeadm_version(Invocation &inv, const std::vector<std::string> &args,
                    const std::optional<detail::KubeVersion> &binary = std::nullopt);
int kubeadm_upgrade_plan(Invocation &inv, const std::vector<std::string> &args);
int kubeadm_upgrade_apply(Invocation &inv, const std::vector<std::string> &args);
int kubeadm_upgrade_node(Invocation &inv, const std::vector<std::string> &args,
                         const std::optional<detail::KubeVersion> &binary = std::nullopt);

// Prints `message` and kubeadm's stack-trace hint to stderr; returns 1, the
// exit code of every kubeadm error (kubeadm-upgrade.md §5).
int kubeadm_fail(Invocation &inv, const std::string &message);

// What every upgrade subcommand reads first.
struct UpgradeContext {
  detail::SandboxFile sandbox;
  detail::SandboxNode node;
  detail::KubeVersion kubeadm;          // the installed kubeadm
  detail::ClusterState cluster;         // snapshot at start
  detail::KubeVersion cluster_version;  // the kubeadm-config ClusterConfiguration's
  bool control_plane = false;           // kube-apiserver.yaml present, as kubeadm decides
};

// nullopt after printing kubeadm's error when the node or cluster state is unusable.
// `binary` as for kubeadm_version.
std::optional<UpgradeContext> load_upgrade_context(Invocation &inv,
                                                   const std::optional<detail::KubeVersion> &binary = std::nullopt);

// Flags apply, node and plan accept besides their own.
std::vector<FlagSpec> upgrade_common_flags();

// kubeadm's client construction: --kubeconfig (default `default_path`) must
// exist on the node. Prints kubeadm's error and returns false otherwise.
bool check_kubeconfig(Invocation &inv, const ParsedFlags &flags, const std::string &default_path);

// --config FILE must be readable; older config kinds draw kubeadm's warning.
bool check_config_file(Invocation &inv, const ParsedFlags &flags);

// --ignore-preflight-errors, lower-cased; "all" ignores everything.
std::set<std::string> ignored_preflight_errors(const ParsedFlags &flags);

// CheckClusterHealth: prints its line and returns false after printing the
// fatal error when a check fails that is not ignored.
bool run_cluster_health_checks(Invocation &inv, const UpgradeContext &ctx, const std::set<std::string> &ignored);

// The kubelet-config phase: backs up and rewrites /var/lib/kubelet/config.yaml.
void kubelet_config_phase(Invocation &inv, bool dry_run);

// The addon phase: CoreDNS and kube-proxy move only once no control plane
// instance is left on an older version (kubeadm ≥ 1.28).
void addon_phase(Invocation &inv, const detail::KubeVersion &target, bool dry_run);

// Local time as kubeadm names its backup directories: 2006-01-02-15-04-05.
std::string backup_timestamp();
// `parent/prefix` made 0700; a numeric suffix when it already exists (two
// upgrades within one second), where kubeadm would fail.
fs::path make_unique_dir(const fs::path &parent, const std::string &prefix);
// `parent/prefix<random digits>`, as Go's os.MkdirTemp.
fs::path make_temp_dir(const fs::path &parent, const std::string &prefix);

}  // namespace kuphost::sandbox::sim
