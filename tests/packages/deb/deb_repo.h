// A local, signed, pkgs.k8s.io-shaped apt repository (test-recipes.md §1.0):
// one flat repository per minor under ROOT/core:/stable:/v1.MM/deb/, with
// kubeadm/kubelet/kubectl, cri-tools and kubernetes-cni, signed by an ed25519
// key made in a private GNUPGHOME.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kuphost::test::deb {

struct DebPackage {
  std::string name, version;  // version with revision, e.g. "1.31.2-1.1"
  std::string minor;          // "v1.31": the repository that carries it
  std::string depends;        // Depends: field, empty for none
};

// The 18 packages of recipe 1.0.
std::vector<DebPackage> default_packages();

struct DebRepoOptions {
  // Sign the repositories with a second key, not the one written to keyring():
  // apt then rejects them (wrong-key test).
  bool sign_with_other_key = false;
};

class DebRepo {
 public:
  // Builds everything under `root` (which must exist and be empty). Throws
  // std::runtime_error with the failing command's output on error.
  DebRepo(const std::filesystem::path &root, DebRepoOptions options = {});

  const std::filesystem::path &root() const { return root_; }
  // ROOT/core:/stable:/v1.MM/deb/ (minor given as "v1.31").
  std::filesystem::path minor_dir(const std::string &minor) const;
  // The keyring handed out (binary, for signed-by=).
  std::filesystem::path keyring() const { return root_ / "kubernetes-apt-keyring.gpg"; }
  const std::vector<DebPackage> &packages() const { return packages_; }

 private:
  std::filesystem::path root_;
  std::vector<DebPackage> packages_;
};

}  // namespace kuphost::test::deb
