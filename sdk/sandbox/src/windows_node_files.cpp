#include "windows_node_files.h"

#include "distro.h"
#include "fs_util.h"
#include "windows_binaries.h"

namespace kuphost::sandbox::detail {

bool has_windows_node(const SandboxFile &file) {
  for (const auto &n : file.nodes)
    if (find_distro(n.distro)->family == std::string_view("windows")) return true;
  return false;
}

void provision_windows_nodes(const std::filesystem::path &sandbox_dir, const SandboxFile &file,
                             const PackageUniverse &universe, const KubeVersion &version) {
  if (!has_windows_node(file)) return;
  write_windows_mirror(sandbox_dir, universe);
  std::filesystem::path admin_conf;
  for (const auto &n : file.nodes)
    if (n.role == "first-control-plane") admin_conf = sandbox_dir / "nodes" / n.name / "root/etc/kubernetes/admin.conf";
  for (const auto &n : file.nodes) {
    if (find_distro(n.distro)->family != std::string_view("windows")) continue;
    const auto root = sandbox_dir / "nodes" / n.name / "root";
    // As after the Windows join docs: the binaries of the cluster's release in C:\k.
    for (const char *name : kWindowsBinaries)
      write_file(root / "C/k" / name, read_file(windows_release_dir(sandbox_dir, version) / name), 0755);
    // An operator's admin machine has the admin credentials (kubectl drain/uncordon).
    if (const auto conf = read_file_if_exists(admin_conf))
      write_file(root / "etc/kubernetes/admin.conf", *conf, 0600);
  }
}

}  // namespace kuphost::sandbox::detail
