// What the host knows about the node before any plugin runs: distro, role,
// etcd topology, architecture and installed Kubernetes versions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/version.h"

namespace kuphost {

class CommandRunner;
class FileSystem;
class NodeRoot;

enum class Role { kFirstControlPlane, kOtherControlPlane, kWorker };
std::string role_name(Role role);
std::optional<Role> parse_role(std::string_view text);

struct NodeFacts {
  std::string node_name;
  std::string os_id, os_version_id, os_pretty_name;
  std::string family;  // debian | rhel | suse | windows | unknown
  uint32_t family_mask = 0;  // KUP_DISTRO_*
  std::string arch;          // amd64, arm64, ...
  Role role = Role::kWorker;
  std::string role_source;   // why this role
  uint32_t etcd_mask = 0;    // KUP_ETCD_*; 0 on workers
  std::string etcd_source;
  std::optional<Version> control_plane_version, kubeadm_version, kubelet_version, kubectl_version;
  std::filesystem::path root;
  bool sandbox = false;
  bool privileged_user = false;  // effective uid 0: what kubeadm's IsPrivilegedUser checks
  // Operator options the phases read as run.* facts (kubeadm's flags of the same names).
  std::vector<std::string> ignore_preflight_errors;  // as given; "all" ignores every skippable check
  bool allow_experimental_upgrades = false;
  bool allow_release_candidate_upgrades = false;
  std::string kubeconfig;  // --kubeconfig, a node path
  // host:port of this node's own kube-apiserver when the host knows better
  // than the manifest (a sandbox node's loopback port); empty otherwise.
  std::string apiserver_endpoint;

  uint32_t role_mask() const;
  std::string etcd_name() const;  // stacked | external | none
  // The kuphost.facts/1 view (keys documented in kuphost.h).
  std::map<std::string, std::string> as_map() const;
};

struct FactOptions {
  std::optional<Role> role_override;
  std::string role_override_source;  // "--role", "sandbox.yaml"
  std::string node_name;             // empty: from <root>/etc/hostname
  bool sandbox = false;
  // Copied into NodeFacts; see there.
  std::vector<std::string> ignore_preflight_errors;
  bool allow_experimental_upgrades = false;
  bool allow_release_candidate_upgrades = false;
  std::string kubeconfig;
  std::string apiserver_endpoint;
};

// Reads <root>/etc/os-release and the kubeadm files; runs nothing. Throws
// Failure with a one-line message when os-release is missing or unreadable.
NodeFacts gather_facts(const NodeRoot &root, FileSystem &fs, const FactOptions &options);
// Adds the installed versions by running `kubeadm version`, `kubelet
// --version` and `kubectl version --client` (read-only; absent = unknown).
void probe_versions(NodeFacts &facts, CommandRunner &runner);

// Maps os-release ID and ID_LIKE to a family; "unknown" if none matches.
std::string distro_family(const std::string &id, const std::string &id_like);
uint32_t family_mask(const std::string &family);

}  // namespace kuphost
