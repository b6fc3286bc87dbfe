// What the real package manager says about a `--packages real` sandbox node,
// asked with this machine's dpkg-query/apt-mark or rpm directly (not through
// the node's commands, which are kuphost's wrappers), and the host's own
// package state, to prove the tests never touch it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kuphost::test {

class PackageRootView {
 public:
  // `root`: nodes/<name>/root of a sandbox; `family`: "debian" or "rhel".
  PackageRootView(std::filesystem::path root, std::string family);

  // Installed package -> version as the package manager spells it.
  std::map<std::string, std::string> installed() const;
  // apt-mark showhold, sorted; on rhel the packages of the repository's
  // active exclude= line (the rpm systems' hold).
  std::vector<std::string> held() const;
  std::filesystem::path repository_file() const;
  // "1.31.2" -> "1.31.2-1.1" or "1.31.2-150500.1.1".
  std::string package_version(const std::string &upstream) const;
  const std::string &family() const { return family_; }

 private:
  std::filesystem::path root_;
  std::string family_;
};

// md5 of this machine's package databases and apt state files, and the
// paths under its package directories modified after `since`.
std::map<std::string, std::string> host_package_state_digest();
std::vector<std::string> host_package_paths_newer_than(const std::filesystem::file_time_type &since);

}  // namespace kuphost::test
