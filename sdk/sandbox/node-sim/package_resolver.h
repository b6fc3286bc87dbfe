// The dependency resolution apt and dnf share: the requested target versions
// plus whatever their Depends/Requires pull in (kubeadm of a new minor needs
// that minor's cri-tools), in the order the packages get unpacked.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "package_catalog.h"

namespace kuphost::sandbox::sim {

struct PackageChange {
  std::string name;
  std::string from, to;    // upstream versions; `from` is empty for a new install
  bool requested = false;  // named on the command line, not pulled in

  bool is_new() const { return from.empty(); }
  bool is_downgrade() const;
};

// `package` at `version` requires `dependency` >= `minimum`, and the best the
// resolver could do is `offered` (empty: nothing installable).
struct UnmetDependency {
  std::string package, version, dependency, minimum, offered;
};

struct Transaction {
  std::vector<PackageChange> changes;  // dependencies before their dependents
  std::vector<UnmetDependency> unmet;
};

// `targets`: name -> wanted upstream version (possibly the installed one).
// `keep`: packages the resolver may not move to satisfy a dependency (apt's
// holds); requested packages are never in it. Dependencies move to their
// newest available version, as both apt and dnf pick the best candidate.
Transaction resolve_transaction(const std::map<std::string, std::string> &targets,
                                const std::map<std::string, std::string> &installed,
                                const std::vector<AvailablePackage> &available, const std::set<std::string> &keep);

}  // namespace kuphost::sandbox::sim
