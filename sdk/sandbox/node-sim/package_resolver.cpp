#include "package_resolver.h"

#include <deque>
#include <functional>

#include "package_version.h"

namespace kuphost::sandbox::sim {
namespace {

std::string lookup(const std::map<std::string, std::string> &m, const std::string &key) {
  const auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

}  // namespace

bool PackageChange::is_downgrade() const { return !from.empty() && detail::compare_package_versions(to, from) < 0; }

Transaction resolve_transaction(const std::map<std::string, std::string> &targets,
                                const std::map<std::string, std::string> &installed,
                                const std::vector<AvailablePackage> &available, const std::set<std::string> &keep) {
  Transaction result;
  std::map<std::string, std::string> planned = targets;
  std::deque<std::string> queue;
  for (const auto &[name, version] : targets)
    if (lookup(installed, name) != version) queue.push_back(name);

  while (!queue.empty()) {
    const std::string name = queue.front();
    queue.pop_front();
    const AvailablePackage *package = find_version(available, name, planned[name]);
    if (!package) continue;  // an installed-only version: its dependencies were met when it went in
    for (const auto &[dependency, minimum] : package->depends) {
      const bool decided = planned.count(dependency) != 0;
      const std::string have = decided ? planned[dependency] : lookup(installed, dependency);
      if (!have.empty() && detail::compare_package_versions(have, minimum) >= 0) continue;
      // A version the command line pinned, or a held package, is not moved for a dependency.
      if (decided || (keep.count(dependency) && !have.empty())) {
        result.unmet.push_back({name, planned[name], dependency, minimum, have});
        continue;
      }
      const AvailablePackage *best = newest_of(available, dependency);
      if (best && detail::compare_package_versions(best->version, minimum) >= 0) {
        planned[dependency] = best->version;
        queue.push_back(dependency);
      } else {
        result.unmet.push_back({name, planned[name], dependency, minimum, best ? best->version : have});
      }
    }
  }

  // Unpack order: each package after the changed packages it depends on.
  std::set<std::string> visited;
  std::function<void(const std::string &)> visit = [&](const std::string &name) {
    if (!visited.insert(name).second) return;
    if (const AvailablePackage *package = find_version(available, name, planned[name]))
      for (const auto &dep : package->depends)
        if (planned.count(dep.first)) visit(dep.first);
    const std::string from = lookup(installed, name);
    if (from != planned[name]) result.changes.push_back({name, from, planned[name], targets.count(name) != 0});
  };
  for (const auto &entry : planned) visit(entry.first);
  return result;
}

}  // namespace kuphost::sandbox::sim
