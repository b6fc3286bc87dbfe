// The package versions a node's package manager can see, in the form apt and
// dnf share: upstream versions ("1.31.2") plus the deb revision / rpm release
// that turns them into package versions ("1.31.2-1.1").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "package_universe.h"

namespace kuphost::sandbox::sim {

struct PackageFormat {
  std::string revision;  // "1.1" (deb) or "150500.1.1" (rpm)
  std::string arch;      // "amd64" (deb) or "x86_64" (rpm)

  // "1.31.2" -> "1.31.2-1.1"
  std::string full(const std::string &upstream) const { return upstream + "-" + revision; }
};

PackageFormat deb_format(const detail::PackageUniverse &universe);
PackageFormat rpm_format(const detail::PackageUniverse &universe);

struct AvailablePackage {
  std::string name, version;                   // version: upstream
  std::string origin;                          // apt: the source URI; dnf: the repository id
  std::map<std::string, std::string> depends;  // package -> minimum upstream version
};

// Appends every version `repo` holds, tagged with `origin`.
void add_repository_packages(const detail::UniverseRepository &repo, const std::string &origin,
                             std::vector<AvailablePackage> *out);

// The versions of `name`, newest first.
std::vector<const AvailablePackage *> versions_of(const std::vector<AvailablePackage> &available,
                                                  const std::string &name);
const AvailablePackage *newest_of(const std::vector<AvailablePackage> &available, const std::string &name);
const AvailablePackage *find_version(const std::vector<AvailablePackage> &available, const std::string &name,
                                     const std::string &version);

// fnmatch(3) without flags: the globs apt (`kubeadm='1.31.2-*'`), dnf and
// dpkg-query accept.
bool glob_match(const std::string &pattern, const std::string &text);

// Roughly the real packages' sizes, for apt's and dnf's transaction summaries.
struct PackageSize {
  long download = 0, installed = 0;  // bytes
};
PackageSize package_size(const std::string &name);

}  // namespace kuphost::sandbox::sim
