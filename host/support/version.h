// Kubernetes version strings: vMAJOR.MINOR.PATCH[-pre], as kubeadm accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kuphost {

struct Version {
  int major = 0, minor = 0, patch = 0;
  std::string pre;  // "rc.1", "alpha.2", empty for a release

  std::string str() const;    // "v1.31.2" / "v1.32.0-rc.1"
  std::string minor_str() const;  // "v1.31"
  bool operator==(const Version &) const = default;
  // Orders releases after their pre-releases, like semver.
  int compare(const Version &other) const;
};

// Accepts "v1.31.2" and "1.31.2" (kubeadm does too); nullopt otherwise.
std::optional<Version> parse_version(std::string_view text);
// The error line for a string that parse_version refused.
std::string version_error(std::string_view text);
// Extracts the version from an image reference "registry.k8s.io/kube-apiserver:v1.30.5".
std::optional<Version> version_from_image(std::string_view image);

}  // namespace kuphost
