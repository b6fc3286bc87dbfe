#include "apt_view.h"

#include <algorithm>

#include "package_version.h"

namespace kuphost::sandbox::sim {

bool AptView::known(const std::string &name) const { return installed(name) || newest_of(available, name); }

std::string AptView::candidate(const std::string &name) const {
  const AvailablePackage *best = newest_of(available, name);
  const std::string current = node.package(name);
  if (!best) return current;
  return !current.empty() && detail::compare_package_versions(current, best->version) > 0 ? current : best->version;
}

std::string AptView::packages_file(const AvailablePackage &package) const {
  for (const auto &source : sources)
    if (source.uri == package.origin) return source.apt_description() + " Packages";
  return package.origin + " Packages";
}

bool lists_fetched(const detail::NodeState &node, const std::string &uri) {
  return std::find(node.apt_lists.begin(), node.apt_lists.end(), uri) != node.apt_lists.end();
}

AptView load_apt_view(const Invocation &inv) {
  AptView view;
  view.node = detail::read_node_state(inv.root);
  view.universe = detail::read_package_universe(inv.sandbox_dir);
  view.format = deb_format(view.universe);
  view.sources = read_apt_sources(inv.root);
  for (const auto &source : view.sources) {
    if (!lists_fetched(view.node, source.uri) || !source.flat()) continue;
    const RepositoryTarget target = locate_repository(source.uri, "deb", view.universe);
    if (target.state == RepositoryState::kAvailable)
      add_repository_packages(*target.contents, source.uri, &view.available);
  }
  return view;
}

}  // namespace kuphost::sandbox::sim
