// The local pkgs.k8s.io of a `--packages real` sandbox: for every minor of
// the package universe, a flat, signed deb repository (Packages, Release,
// InRelease, Release.gpg, Release.key) and/or an rpm repository (signed
// rpms, createrepo_c metadata, repomd.xml.asc and repomd.xml.key), with
// upstream's dependencies (kubeadm on cri-tools, kubelet on kubernetes-cni).
#pragma once

#include <filesystem>

#include "package_universe.h"

namespace kuphost::sandbox::detail {

struct LocalMirrorParams {
  const PackageUniverse *universe = nullptr;
  std::filesystem::path node_sim;  // absolute; kubeadm, kubelet and kubectl install as links to it
  bool deb = false, rpm = false;   // which formats to build
};

// Builds the mirror under `mirror_dir` (created) with a fresh signing key and
// writes the binary keyring to mirror_dir/kubernetes-apt-keyring.gpg.
// Throws std::runtime_error naming the failing tool.
void build_local_mirror(const std::filesystem::path &mirror_dir, const LocalMirrorParams &params);

// The armored public key of the mirror's signing key (as served at
// .../deb/Release.key and .../rpm/repodata/repomd.xml.key).
std::filesystem::path mirror_public_key(const std::filesystem::path &mirror_dir);

}  // namespace kuphost::sandbox::detail
