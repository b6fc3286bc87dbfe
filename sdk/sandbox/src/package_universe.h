// DIR/cluster/packages.yaml: the sandbox's simulated pkgs.k8s.io. Like the
// real service it has one repository per Kubernetes minor, each holding only
// that minor's kubeadm/kubelet/kubectl and the cri-tools/kubernetes-cni it
// uses. The simulated apt and dnf on every node read it; a node sees the
// repository its kubernetes.list / kubernetes.repo points at. Tests may edit
// it (add a patch release, drop a minor) and nodes see the change at once.
//
//   debRevision: "1.1"          # deb versions are 1.31.2-1.1
//   rpmRelease: 150500.1.1      # rpm versions are 1.31.2-150500.1.1
//   repositories:
//     v1.31:
//       kubeadm:
//         versions: [1.31.0, 1.31.1, 1.31.2, 1.31.3, 1.31.4]   # oldest first
//         depends: {cri-tools: 1.31.0}                         # minimum versions
//       cri-tools:
//         versions: [1.31.1]
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "version.h"

namespace kuphost::sandbox::detail {

struct UniversePackage {
  std::vector<std::string> versions;           // upstream versions, oldest first
  std::map<std::string, std::string> depends;  // package -> minimum upstream version
};

// One minor's repository, e.g. https://pkgs.k8s.io/core:/stable:/v1.31/deb/.
struct UniverseRepository {
  std::map<std::string, UniversePackage> packages;
};

struct PackageUniverse {
  std::string deb_revision = "1.1";
  std::string rpm_release = "150500.1.1";
  std::map<std::string, UniverseRepository> repositories;  // "v1.31" -> its packages

  // nullptr when pkgs.k8s.io has no repository for `minor` ("v1.31").
  const UniverseRepository *find(std::string_view minor) const;
};

// For a cluster at minor M patch P: M at 0..P+2, M+1 at 0..4, M+2 at 0..2,
// so upgrades find newer patches and the next two minors.
PackageUniverse make_package_universe(const KubeVersion &cluster_version);

std::filesystem::path package_universe_path(const std::filesystem::path &sandbox_dir);
std::string render_package_universe(const PackageUniverse &universe);
PackageUniverse parse_package_universe(const std::string &text);  // throws std::runtime_error
PackageUniverse read_package_universe(const std::filesystem::path &sandbox_dir);

// The pkgs.k8s.io repository URL of a minor: format "deb" or "rpm",
// "https://pkgs.k8s.io/core:/stable:/v1.31/deb/".
std::string pkgs_k8s_io_url(std::string_view minor, std::string_view format);

}  // namespace kuphost::sandbox::detail
