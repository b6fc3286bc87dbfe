// Kubernetes versions as kubeadm handles them, and the component versions
// kubeadm pairs with each Kubernetes minor.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace kuphost::sandbox::detail {

struct KubeVersion {
  int major = 0, minor = 0, patch = 0;
  std::string pre_release;  // "rc.1", "alpha.2", or empty

  // "v1.30.5", "1.30.5", "v1.31.0-rc.1". Strict: three numbers.
  static std::optional<KubeVersion> parse(std::string_view text);

  std::string str() const;    // "v1.30.5"
  std::string plain() const;  // "1.30.5", as package versions and kubelet state use it
  std::string minor_str() const;  // "v1.30", as pkgs.k8s.io repository paths use it

  // Pre-releases sort before their release, as semver.
  std::strong_ordering operator<=>(const KubeVersion &other) const;
  bool operator==(const KubeVersion &other) const = default;
};

// kubeadm's SupportedEtcdVersion for a minor: the etcd image tag
// ("3.5.15-0"). Minors outside the table use the nearest entry, as kubeadm.
std::string etcd_image_tag_for(const KubeVersion &v);
// Compares "3.5.15-0"-style etcd tags.
int compare_etcd_tags(std::string_view a, std::string_view b);
std::string coredns_version_for(const KubeVersion &v);
std::string pause_image_for(const KubeVersion &v);
// The cri-tools and kubernetes-cni versions in the minor's pkgs.k8s.io
// repository, which since v1.28 holds only the versions that minor uses.
std::string cri_tools_version_for(const KubeVersion &v);
std::string kubernetes_cni_version_for(const KubeVersion &v);

}  // namespace kuphost::sandbox::detail
