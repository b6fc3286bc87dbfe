//===- apt/apt_backend.h - kuphost.package-manager/1 on apt and dpkg ------===//
#ifndef KUPHOST_PLUGINS_APT_APT_BACKEND_H
#define KUPHOST_PLUGINS_APT_APT_BACKEND_H

#include <kuphost/kuphost.hpp>

#include "support/package_manager_provider.hpp"
#include "support/repository_file.hpp"

namespace kuphost_plugins::apt {

class AptBackend final : public PackageBackend {
 public:
  // `sources_file`: the node path RepositoryFile edits (for messages).
  AptBackend(const kup::Host &host, const RepositoryFile &repository, std::string sources_file)
      : host_(host), repository_(repository), sources_file_(std::move(sources_file)) {}

  std::vector<std::string> available_versions(const std::string &package) override;
  std::optional<std::string> installed_version(const std::string &package) override;
  void install(const std::vector<PackagePin> &pins) override;
  // apt-mark hold, then apt-mark showhold to check that every package is
  // held (skipped in dry-run, where nothing was marked).
  void hold(const std::vector<std::string> &packages) override;
  void unhold(const std::vector<std::string> &packages) override;
  void switch_repository(const std::string &minor) override { repository_.switch_to(minor); }
  // apt-get update and apt-cache madison against a private copy of the
  // sources file (one-line or deb822, as the node's) pointed at `minor`, with private lists (the -o Dir::...
  // options of private_index_options()), all under the host's scratch
  // directory: the node's sources and lists stay untouched.
  std::vector<std::string> available_versions_in_minor(const std::string &package,
                                                       const std::string &minor) override;

 private:
  kup::Host host_;
  const RepositoryFile &repository_;
  std::string sources_file_;
};

// The apt options that make apt-get and apt-cache read `sources_list` only
// and keep their lists in `lists_dir` (node paths), without touching the
// node's /var/lib/apt/lists or /var/cache/apt.
std::vector<std::string> private_index_options(const std::string &sources_list, const std::string &lists_dir);

// `apt-cache madison` lines ("kubeadm | 1.31.2-1.1 | https://... Packages")
// -> the binary package versions of `package`, newest first, unique.
std::vector<std::string> parse_madison(const std::string &output, const std::string &package);

// `apt-mark showhold` output (one package per line) -> the held names,
// without a ":arch" suffix.
std::vector<std::string> parse_showhold(const std::string &output);

}  // namespace kuphost_plugins::apt

#endif  // KUPHOST_PLUGINS_APT_APT_BACKEND_H
