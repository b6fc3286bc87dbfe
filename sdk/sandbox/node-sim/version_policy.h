// kubeadm's EnforceVersionPolicies (cmd/kubeadm/app/phases/upgrade/policy.go,
// skew-policy.md §4): which targets `kubeadm upgrade apply` refuses outright
// and which --force may bypass.
#pragma once

#include <string>
#include <vector>

#include "version.h"

namespace kuphost::sandbox::sim {

struct VersionSkewErrors {
  std::vector<std::string> mandatory, skippable;
  bool empty() const { return mandatory.empty() && skippable.empty(); }
};

struct VersionPolicyInput {
  detail::KubeVersion cluster, kubeadm, target;
  std::string target_text;                  // as the user wrote it, normalised to "v..."
  std::vector<std::string> kubelet_versions;  // "v1.30.5" per node
  bool allow_experimental = false, allow_rc = false;
};

VersionSkewErrors enforce_version_policies(const VersionPolicyInput &input);

// kubeadm's "\t- error\n" list.
std::string format_error_list(const std::vector<std::string> &errors);

}  // namespace kuphost::sandbox::sim
