#include "real_package_root.h"

#include "fs_util.h"
#include "local_mirror.h"
#include "node_files.h"
#include "real_packages.h"
#include "tool_process.h"

namespace kuphost::sandbox::detail {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> apt_env(const fs::path &root) {
  auto env = apt_environment(root);
  env.insert(env.end(), {"DEBIAN_FRONTEND=noninteractive", "LC_ALL=C"});
  return env;
}

}  // namespace

std::string local_apt_sources_line(const fs::path &root, const fs::path &sandbox_dir, const KubeVersion &version) {
  return "deb [signed-by=" + apt_keyring_path(root).string() + "] " +
         local_mirror_url(sandbox_dir, version.minor_str(), "deb") + " /\n";
}

std::string local_yum_repo_file(const fs::path &sandbox_dir, const KubeVersion &version) {
  return yum_repo_file_at(local_mirror_url(sandbox_dir, version.minor_str(), "rpm"));
}

void provision_apt_root(const fs::path &root, const fs::path &sandbox_dir, const KubeVersion &version,
                        const std::string &deb_revision) {
  for (const char *dir : {"etc/apt/apt.conf.d", "etc/apt/sources.list.d", "etc/apt/preferences.d",
                          "etc/apt/trusted.gpg.d", "etc/apt/keyrings", "var/lib/apt/lists/partial",
                          "var/cache/apt/archives/partial", "var/lib/dpkg/info", "var/lib/dpkg/updates",
                          "var/lib/dpkg/triggers", "var/lib/dpkg/alternatives", "var/log/apt", "usr/bin"})
    make_dirs(root / dir, 0755);
  write_file(root / "var/lib/dpkg/status", "", 0644);
  write_file(root / "var/lib/dpkg/available", "", 0644);
  write_file(apt_config_path(root), apt_config(root), 0644);
  fs::copy_file(local_mirror_dir(sandbox_dir) / "kubernetes-apt-keyring.gpg", apt_keyring_path(root),
                fs::copy_options::overwrite_existing);
  write_file(root / "etc/apt/sources.list.d/kubernetes.list", local_apt_sources_line(root, sandbox_dir, version),
             0644);
  const auto env = apt_env(root);
  must_run_tool({"apt-get", "update", "-q", "--error-on=any"}, env);
  std::vector<std::string> install{"apt-get", "install", "-y", "-q", "-o", "Dpkg::Options::=--force-confold"};
  const std::string deb = version.plain() + "-" + deb_revision;
  for (const char *name : {"kubeadm", "kubelet", "kubectl"}) install.push_back(std::string(name) + "=" + deb);
  must_run_tool(install, env);
  must_run_tool({"apt-mark", "hold", "kubeadm", "kubelet", "kubectl"}, env);
}

void provision_dnf_root(const fs::path &root, const fs::path &sandbox_dir, const KubeVersion &version) {
  write_rpm_home(root);
  // Its own dnf.conf, else dnf reads this machine's.
  write_file(root / "etc/dnf/dnf.conf",
             "[main]\ngpgcheck=1\ninstallonly_limit=3\nclean_requirements_on_remove=True\nbest=False\n"
             "install_weak_deps=False\nskip_if_unavailable=False\nkeepcache=False\nreposdir=/etc/yum.repos.d\n",
             0644);
  write_file(root / "etc/yum.repos.d/kubernetes.repo", local_yum_repo_file(sandbox_dir, version), 0644);
  const std::string rpm = version.plain();
  must_run_tool({"dnf", "--installroot=" + root.string(), "--releasever=9", "-y", "-q", "install",
                 "kubeadm-" + rpm, "kubelet-" + rpm, "kubectl-" + rpm, "--disableexcludes=kubernetes"},
                rpm_environment(root));
}

}  // namespace kuphost::sandbox::detail
