#include "real_packages.h"

#include <system_error>

#include "fs_util.h"
#include "tool_process.h"

namespace kuphost::sandbox::detail {

fs::path local_mirror_dir(const fs::path &sandbox_dir) { return sandbox_dir / "cluster" / "pkgs.k8s.io"; }

std::string local_mirror_url(const fs::path &sandbox_dir, std::string_view minor, std::string_view format) {
  const std::string path = (local_mirror_dir(sandbox_dir) / "core:" / "stable:" / std::string(minor) /
                            std::string(format)).string() + "/";
  return (format == "rpm" ? "file://" : "file:") + path;
}

fs::path apt_keyring_path(const fs::path &root) { return root / "etc/apt/keyrings/kubernetes-apt-keyring.gpg"; }
fs::path apt_config_path(const fs::path &root) { return root.parent_path() / "apt.conf"; }

std::string apt_config(const fs::path &root) {
  const std::string r = root.string();
  // APT::Sandbox::User root: the _apt user cannot read a root-only temp dir,
  // and apt would warn on every download.
  return "Dir \"" + r + "/\";\n"
         "Dir::State::status \"" + r + "/var/lib/dpkg/status\";\n"
         "Dir::Bin::methods \"/usr/lib/apt/methods\";\n"
         "Dir::Bin::dpkg \"/usr/bin/dpkg\";\n"
         "APT::Architecture \"amd64\";\n"
         "APT::Architectures { \"amd64\"; };\n"
         "APT::Sandbox::User \"root\";\n"
         "DPkg::Options { \"--root=" + r + "\"; \"--admindir=" + r + "/var/lib/dpkg\"; \"--log=" + r +
         "/var/log/dpkg.log\"; \"--force-script-chrootless\"; };\n"
         "DPkg::Use-Pty \"0\";\n";
}

fs::path rpm_home(const fs::path &root) { return root.parent_path() / "rpm-home"; }

void write_rpm_home(const fs::path &root) {
  const std::string macros = "%_dbpath /var/lib/rpm\n";
  const fs::path file = rpm_home(root) / ".rpmmacros";
  if (read_file_if_exists(file) != macros) write_file(file, macros, 0644);
}

std::vector<std::string> apt_environment(const fs::path &root) {
  return {"APT_CONFIG=" + apt_config_path(root).string()};
}

std::vector<std::string> rpm_environment(const fs::path &root) { return {"HOME=" + rpm_home(root).string()}; }

fs::path package_stamp_dir(const fs::path &root) { return root / "usr/share/kuphost-sandbox/packages"; }

std::map<std::string, std::string> read_package_stamps(const fs::path &root) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(package_stamp_dir(root), ec)) {
    std::string version = read_file(entry.path());
    while (!version.empty() && (version.back() == '\n' || version.back() == ' ')) version.pop_back();
    if (!version.empty()) out[entry.path().filename().string()] = version;
  }
  return out;
}

std::vector<std::string> missing_real_package_tools(std::string_view family) {
  std::vector<const char *> tools{"gpg", "gpgconf"};
  if (family == "debian") tools.insert(tools.end(), {"dpkg-deb", "dpkg", "apt-ftparchive", "apt-get", "apt-mark"});
  if (family == "rhel") tools.insert(tools.end(), {"rpmbuild", "rpmsign", "rpm", "createrepo_c", "dnf"});
  std::vector<std::string> missing;
  for (const char *tool : tools)
    if (find_system_tool(tool).empty()) missing.emplace_back(tool);
  return missing;
}

}  // namespace kuphost::sandbox::detail
