// Calico for the sandbox: a trimmed, Calico-shaped release (real kinds and
// names, few fields) that `kuphost sandbox calico-release` writes and
// `sandbox create --calico` installs, so the cni-calico plugin can be tried
// without the network.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kuphost::sandbox {

inline constexpr const char *kDefaultCalicoVersion = "v3.29.1";

// "v3.29.1"-shaped, Calico 3.x; false and *error (one line) otherwise.
bool valid_calico_version(const std::string &version, std::string *error);

// The release's manifests directory: file name -> content. calico.yaml,
// tigera-operator.yaml, custom-resources.yaml; from v3.30 operator-crds.yaml,
// from v3.32 v1_crd_projectcalico_org.yaml. `version` must be valid.
std::vector<std::pair<std::string, std::string>> calico_manifests(const std::string &version);

// Writes OUT/release-V/manifests/* and OUT/release-V.tgz (the tree as
// Calico's GitHub release bundle); *sha256_hex is the bundle's SHA-256.
// Never throws; false and *error (one line) on failure.
bool write_calico_release(const std::filesystem::path &out, const std::string &version, std::string *sha256_hex,
                          std::string *error);

}  // namespace kuphost::sandbox
