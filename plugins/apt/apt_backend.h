//===- apt/apt_backend.h - kuphost.package-manager/1 on apt and dpkg ------===//
#ifndef KUPHOST_PLUGINS_APT_APT_BACKEND_H
#define KUPHOST_PLUGINS_APT_APT_BACKEND_H

#include <kuphost/kuphost.hpp>

#include "support/package_manager_provider.hpp"
#include "support/repository_file.hpp"

namespace kuphost_plugins::apt {

class AptBackend final : public PackageBackend {
 public:
  AptBackend(const kup::Host &host, const RepositoryFile &repository)
      : host_(host), repository_(repository) {}

  std::vector<std::string> available_versions(const std::string &package) override;
  std::optional<std::string> installed_version(const std::string &package) override;
  void install(const std::vector<PackagePin> &pins) override;
  void hold(const std::vector<std::string> &packages) override;
  void unhold(const std::vector<std::string> &packages) override;
  void switch_repository(const std::string &minor) override { repository_.switch_to(minor); }

 private:
  kup::Host host_;
  const RepositoryFile &repository_;
};

// `apt-cache madison` lines ("kubeadm | 1.31.2-1.1 | https://... Packages")
// -> the binary package versions of `package`, newest first, unique.
std::vector<std::string> parse_madison(const std::string &output, const std::string &package);

}  // namespace kuphost_plugins::apt

#endif  // KUPHOST_PLUGINS_APT_APT_BACKEND_H
