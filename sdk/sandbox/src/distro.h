// What the sandbox knows about each supported distro: os-release, the
// package family, and the node facts kubectl reports.
#pragma once

#include <string>
#include <string_view>

namespace kuphost::sandbox::detail {

struct DistroInfo {
  const char *name;           // ubuntu-24.04
  const char *family;         // debian | rhel | windows
  const char *os;             // linux | windows (the node's kubernetes.io/os)
  const char *pretty_name;    // os-release PRETTY_NAME, kubectl's OS-IMAGE
  const char *kernel_version;
  const char *os_release;     // the whole etc/os-release
};

// nullptr for an unsupported name.
const DistroInfo *find_distro(std::string_view name);

// Windows sandboxes run Windows workers behind a Linux control plane, as
// kubeadm requires; every other distro is used for all nodes.
std::string node_distro(std::string_view sandbox_distro, std::string_view role);

}  // namespace kuphost::sandbox::detail
