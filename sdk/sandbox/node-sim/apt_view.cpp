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

namespace {

// apt's FindFile: an absolute value stands alone, a relative one is under `dir`.
std::string under(const std::string &dir, const std::string &value) {
  return !value.empty() && value.front() == '/' ? value : dir + value;
}

std::string with_slash(std::string path) {
  if (path.empty() || path.back() != '/') path += '/';
  return path;
}

}  // namespace

bool AptIndex::fetched(const detail::NodeState &node, const std::string &uri) const {
  if (!lists_dir) return lists_fetched(node, uri);
  return fs::exists(*lists_dir / apt_list_file_name(uri, "Packages"));
}

AptIndex apt_index(const Invocation &inv, const AptOptions &opts) {
  AptIndex index;
  index.source_list = inv.host_path(under("/etc/apt/", opts.source_list.value_or("sources.list")));
  const std::string parts = under("/etc/apt/", opts.source_parts.value_or("sources.list.d"));
  if (parts != "/dev/null") index.source_parts = inv.host_path(parts);
  const std::string lists = with_slash(
      fs::path(under("/var/lib/apt/", opts.lists_dir.value_or("lists"))).lexically_normal().string());
  index.lists_dir_shown = lists;
  if (lists != "/var/lib/apt/lists/") index.lists_dir = inv.host_path(lists);
  return index;
}

std::string apt_list_file_name(const std::string &uri, const std::string &file) {
  std::string name = uri;
  if (const auto scheme = name.find("://"); scheme != std::string::npos) name.erase(0, scheme + 3);
  name = with_slash(name) + file;
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

AptView load_apt_view(const Invocation &inv, const AptOptions &opts) {
  AptView view;
  view.node = detail::read_node_state(inv.root);
  view.universe = detail::read_package_universe(inv.sandbox_dir);
  view.format = deb_format(view.universe);
  view.index = apt_index(inv, opts);
  view.sources = read_apt_sources(view.index.source_list, view.index.source_parts);
  for (const auto &source : view.sources) {
    if (!view.index.fetched(view.node, source.uri) || !source.flat()) continue;
    const RepositoryTarget target = locate_repository(source.uri, "deb", view.universe);
    if (target.state == RepositoryState::kAvailable)
      add_repository_packages(*target.contents, source.uri, &view.available);
  }
  return view;
}

}  // namespace kuphost::sandbox::sim
