// Sandboxes made with `--packages real`: each Linux node's root is a real
// package root (dpkg database and apt state on Debian-family nodes, an rpm
// database for dnf on RHEL nodes), served by a local, signed,
// pkgs.k8s.io-shaped mirror under DIR/cluster/pkgs.k8s.io. The node's
// apt-get/apt-cache/apt-mark/dpkg-query and dnf/yum/rpm run this machine's
// real tools against that root (test-recipes.md §1b and §2); kubeadm, kubelet
// and kubectl are installed by those packages as symlinks to the simulator,
// next to a version stamp the simulator reads.
//
// apt reads the keyring named by signed-by= and file: URIs as given, without
// its Dir prefix, so on these nodes both are this machine's paths.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost::sandbox::detail {

namespace fs = std::filesystem;

// DIR/cluster/pkgs.k8s.io: the local mirror, one repository per minor and
// format under core:/stable:/v1.M/{deb,rpm}/.
fs::path local_mirror_dir(const fs::path &sandbox_dir);
// "file:/DIR/cluster/pkgs.k8s.io/core:/stable:/v1.31/deb/" (apt) or
// "file:///DIR/.../v1.31/rpm/" (dnf): what the node's repository file names.
std::string local_mirror_url(const fs::path &sandbox_dir, std::string_view minor, std::string_view format);

// The keyring file a Debian-family node's signed-by= names.
fs::path apt_keyring_path(const fs::path &root);
// nodes/<name>/apt.conf, outside the root (inside etc/apt it would be read twice).
fs::path apt_config_path(const fs::path &root);
// Points apt at `root` (Dir, dpkg's --root and --admindir); rewritten by
// every node command, so a moved sandbox keeps working.
std::string apt_config(const fs::path &root);
// nodes/<name>/rpm-home: HOME for rpm and dnf, whose .rpmmacros puts the
// rpm database at /var/lib/rpm as on RHEL (Debian's rpm defaults to ~/.rpmdb).
fs::path rpm_home(const fs::path &root);
// Writes it when missing or different.
void write_rpm_home(const fs::path &root);
// The environment the real tools run with for `root` ("NAME=value").
std::vector<std::string> apt_environment(const fs::path &root);
std::vector<std::string> rpm_environment(const fs::path &root);

// Where the packages put their version stamps: root/usr/share/kuphost-sandbox/packages/<name>.
fs::path package_stamp_dir(const fs::path &root);
// Installed package -> upstream version, from the stamps.
std::map<std::string, std::string> read_package_stamps(const fs::path &root);

// The tools `--packages real` needs on this machine for `family` ("debian",
// "rhel"); returns the missing ones.
std::vector<std::string> missing_real_package_tools(std::string_view family);

}  // namespace kuphost::sandbox::detail
