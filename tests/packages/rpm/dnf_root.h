// A dnf installroot (test-recipes.md §2): R/etc/dnf/dnf.conf with its own
// [main] (gpgcheck=0, reposdir=/etc/yum.repos.d, ...) so the host's dnf.conf is
// never read, R/etc/yum.repos.d/kubernetes.repo as upstream (with the exclude=
// line), and helpers running the real dnf and rpm against R only.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace kuphost::test::rpm {

class DnfRoot {
 public:
  // `root` is created; `home` holds .rpmmacros (make_rpm_home); `baseurl` is
  // written to kubernetes.repo.
  DnfRoot(const std::filesystem::path &root, const std::filesystem::path &home, const std::string &baseurl);

  const std::filesystem::path &root() const { return root_; }
  std::filesystem::path repo_file() const { return root_ / "etc/yum.repos.d/kubernetes.repo"; }
  // Rewrites kubernetes.repo with another baseurl (the per-minor switch).
  void set_baseurl(const std::string &baseurl);

  // dnf --installroot=R --releasever=9 [-q] ARGS...
  ProcessResult dnf(const std::vector<std::string> &args, bool quiet = true) const;
  // rpm --root=R -qa --qf '%{NAME} %{VERSION}-%{RELEASE}\n', sorted lines.
  std::vector<std::string> installed() const;
  // rpm --root=R ARGS...
  ProcessResult rpm(const std::vector<std::string> &args) const;
  // The fake binary R/usr/bin/NAME run with ARGS.
  ProcessResult run_payload(const std::string &name, const std::vector<std::string> &args) const;

 private:
  std::filesystem::path root_, home_;
};

// Non-empty lines of a command's output.
std::vector<std::string> lines_of(const std::string &text);

}  // namespace kuphost::test::rpm
