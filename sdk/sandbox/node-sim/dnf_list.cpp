// dnf list [--showduplicates] [installed|available|all|upgrades] [SPEC...]:
// "Installed Packages" / "Available Packages" sections in dnf 4's columns,
// or "Error: No matching Packages to list" (rc 1) when an active exclude=
// hides everything the specs name.
#include <algorithm>
#include <map>
#include <ostream>

#include "dnf.h"
#include "dnf_view.h"
#include "package_version.h"

namespace kuphost::sandbox::sim {
namespace {

struct ListLine {
  std::string name, version, repo;  // version: upstream
};

std::string padded(const std::string &text, size_t width) {
  return text.size() < width ? text + std::string(width - text.size(), ' ') : text + " ";
}

// "kubeadm.x86_64                    1.31.2-150500.1.1                   kubernetes"
void print_section(std::ostream &out, const std::string &heading, const std::vector<ListLine> &lines,
                   const DnfView &view) {
  if (lines.empty()) return;
  out << heading << "\n";
  for (const auto &l : lines)
    out << padded(l.name + "." + view.format.arch, 34) << padded(view.full(l.version), 36) << l.repo << "\n";
}

bool selected(const std::vector<std::string> &specs, const std::string &name, const std::string &version,
              const DnfView &view) {
  if (specs.empty()) return true;
  return std::any_of(specs.begin(), specs.end(),
                     [&](const std::string &spec) { return dnf_spec_matches(spec, name, version, view.format); });
}

}  // namespace

int dnf_list(Invocation &inv, const DnfOptions &opts) {
  std::string scope = "all";
  std::vector<std::string> specs = opts.args;
  static const std::vector<std::string> kScopes{"all", "installed", "available", "upgrades", "updates"};
  if (!specs.empty() && std::find(kScopes.begin(), kScopes.end(), specs.front()) != kScopes.end()) {
    scope = specs.front() == "updates" ? "upgrades" : specs.front();
    specs.erase(specs.begin());
  }
  const auto view = load_dnf_view(inv, opts);
  if (!view) return kDnfErrorExit;

  std::vector<ListLine> installed, available;
  for (const auto &[name, version] : view->node.packages)
    if (!view->hidden_installed.count(name) && selected(specs, name, version, *view))
      installed.push_back({name, version, "@" + view->installed_from});

  std::map<std::string, std::vector<ListLine>> offered;  // by name, oldest first
  for (const auto &p : view->available) {
    if (!selected(specs, p.name, p.version, *view) || view->node.package(p.name) == p.version) continue;
    offered[p.name].push_back({p.name, p.version, p.origin});
  }
  for (auto &[name, lines] : offered) {
    std::sort(lines.begin(), lines.end(), [](const ListLine &a, const ListLine &b) {
      return detail::compare_package_versions(a.version, b.version) < 0;
    });
    const std::string current = view->node.package(name);
    const bool newer = current.empty() || detail::compare_package_versions(lines.back().version, current) > 0;
    if (scope == "upgrades") {
      if (!current.empty() && newer) available.push_back(lines.back());
    } else if (opts.show_duplicates) {
      available.insert(available.end(), lines.begin(), lines.end());
    } else if (scope == "available" || newer) {
      available.push_back(lines.back());
    }
  }
  if (scope == "available" || scope == "upgrades") installed.clear();
  if (scope == "installed") available.clear();
  if (installed.empty() && available.empty()) {
    inv.err << "Error: No matching Packages to list\n";
    return kDnfErrorExit;
  }
  print_section(inv.out, "Installed Packages", installed, *view);
  print_section(inv.out, scope == "upgrades" ? "Available Upgrades" : "Available Packages", available, *view);
  return 0;
}

}  // namespace kuphost::sandbox::sim
