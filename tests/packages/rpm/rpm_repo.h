// Local pkgs.k8s.io-shaped rpm repositories (test-recipes.md §2): one
// repository per minor under ROOT/core:/stable:/v1.MM/rpm/, noarch rpms built
// with rpmbuild (AutoReqProv: no) and indexed with createrepo_c.
//
// Every rpm/rpmbuild/dnf call must run with rpm_env(): HOME points at a
// directory whose .rpmmacros sets `%_dbpath /var/lib/rpm`, so Debian's
// default ~/.rpmdb (host /root/.rpmdb) is never created or used.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kuphost::test::rpm {

struct RpmPackage {
  std::string name, version;  // upstream version, e.g. "1.31.2"
  std::string minor;          // "v1.31": the repository that carries it
  std::string requires_;      // Requires: line value, empty for none
};

inline constexpr const char *kRelease = "150500.1.1";

// kubeadm/kubelet/kubectl 1.30.5 (v1.30), 1.31.0 and 1.31.2 (v1.31); cri-tools
// and kubernetes-cni per minor.
std::vector<RpmPackage> default_packages();

// HOME=<home> (with .rpmmacros) and LC_ALL=C.UTF-8, for run_process().
std::vector<std::string> rpm_env(const std::filesystem::path &home);
// Creates <home>/.rpmmacros with `%_dbpath /var/lib/rpm`.
void make_rpm_home(const std::filesystem::path &home);

class RpmRepo {
 public:
  // Builds everything under `root` (created if missing). Throws
  // std::runtime_error with the failing command's output on error.
  explicit RpmRepo(const std::filesystem::path &root);

  const std::filesystem::path &root() const { return root_; }
  // ROOT/core:/stable:/v1.MM/rpm (minor given as "v1.31"), no trailing slash.
  std::filesystem::path minor_dir(const std::string &minor) const;
  // file://ROOT/core:/stable:/v1.MM/rpm/
  std::string baseurl(const std::string &minor) const;
  const std::filesystem::path &home() const { return home_; }
  const std::vector<RpmPackage> &packages() const { return packages_; }

 private:
  std::filesystem::path root_, home_;
  std::vector<RpmPackage> packages_;
};

}  // namespace kuphost::test::rpm
