// Turning a node's root into a real package root for `--packages real`:
// apt's or dnf's directories and configuration, the repository file pointing
// at the local mirror, and kubeadm's install docs replayed with the real
// package manager (install the cluster's version, hold it).
#pragma once

#include <filesystem>
#include <string>

#include "version.h"

namespace kuphost::sandbox::detail {

// `root`: the node's root; `sandbox_dir`: where the sandbox is published
// (the mirror's file: URLs name it). Throws std::runtime_error with the
// package manager's output on failure.
// `deb_revision`: the mirror's ("1.1" for 1.30.5-1.1).
void provision_apt_root(const std::filesystem::path &root, const std::filesystem::path &sandbox_dir,
                        const KubeVersion &version, const std::string &deb_revision);
void provision_dnf_root(const std::filesystem::path &root, const std::filesystem::path &sandbox_dir,
                        const KubeVersion &version);

// The repository file contents a real-packages node starts with.
std::string local_apt_sources_line(const std::filesystem::path &root, const std::filesystem::path &sandbox_dir,
                                   const KubeVersion &version);
std::string local_yum_repo_file(const std::filesystem::path &sandbox_dir, const KubeVersion &version);

}  // namespace kuphost::sandbox::detail
