// What a Windows worker's root holds beyond node_files.h: the release
// binaries under C:\k (root/C/k) copied from the sandbox's dl.k8s.io, and
// etc/kubernetes/admin.conf, because the root also plays the Linux admin
// machine kuphost runs on for this node (its usr/bin: ssh, scp, kubectl).
#pragma once

#include <filesystem>

#include "package_universe.h"
#include "sandbox_file.h"
#include "version.h"

namespace kuphost::sandbox::detail {

bool has_windows_node(const SandboxFile &file);

// Writes DIR/cluster/dl.k8s.io and provisions every Windows node of `file`
// (after the nodes' PKI: admin.conf is copied from the first control plane).
void provision_windows_nodes(const std::filesystem::path &sandbox_dir, const SandboxFile &file,
                             const PackageUniverse &universe, const KubeVersion &version);

}  // namespace kuphost::sandbox::detail
