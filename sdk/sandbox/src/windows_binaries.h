// The sandbox's dl.k8s.io for Windows workers (windows.md §3): per release,
// bin/windows/amd64/{kubeadm,kubelet,kube-proxy,kubectl}.exe and NAME.sha256
// (only the lowercase hex digest, as upstream). The binaries are small
// stand-ins: "MZ", then their name and version as text, so every version's
// file is distinct and the simulated Windows node can tell which version a
// C:\k\*.exe is.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "package_universe.h"
#include "version.h"

namespace kuphost::sandbox::detail {

inline constexpr const char *kWindowsBinaries[] = {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe", "kubectl.exe"};

// DIR/cluster/dl.k8s.io
std::filesystem::path dl_k8s_io_dir(const std::filesystem::path &sandbox_dir);
// DIR/cluster/dl.k8s.io/<version>/bin/windows/amd64
std::filesystem::path windows_release_dir(const std::filesystem::path &sandbox_dir, const KubeVersion &version);

// The stand-in for `name` ("kubelet.exe") at `version`.
std::string windows_binary(std::string_view name, const KubeVersion &version);
// The version inside a stand-in; nullopt for anything else (not a binary
// the sandbox made).
std::optional<KubeVersion> windows_binary_version(std::string_view content);

// Lowercase hex SHA-256 (OpenSSL EVP), as upstream's .sha256 files hold it.
std::string sha256_hex(std::string_view data);

// Every kubeadm version of the package universe, with its .sha256 files.
void write_windows_mirror(const std::filesystem::path &sandbox_dir, const PackageUniverse &universe);

}  // namespace kuphost::sandbox::detail
