// dnf install / upgrade / downgrade SPEC...: spec matching against the
// repositories minus active excludes, dependency resolution, dnf 4's
// transaction table, the [y/N] prompt without -y, and the result recorded on
// the node. `upgrade` without specs moves every visible package to its
// newest version, which is what an active exclude= protects against.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <istream>
#include <iterator>
#include <map>
#include <ostream>

#include "dnf.h"
#include "dnf_view.h"
#include "package_install.h"
#include "package_resolver.h"
#include "package_version.h"

namespace kuphost::sandbox::sim {
namespace {

// dnf's format_number: 1024-based, "9.9 M", "85 k".
std::string dnf_size(double bytes) {
  static const char *const kUnits[] = {"", "k", "M", "G"};
  size_t unit = 0;
  while (bytes >= 1000 && unit + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes < 10 && unit > 0 ? "%.1f %s" : "%.0f %s", bytes, kUnits[unit]);
  return buf;
}

std::string rule() { return std::string(80, '='); }

void print_row(std::ostream &out, const std::string &name, const std::string &arch, const std::string &version,
               const std::string &repo, const std::string &size) {
  char row[200];
  std::snprintf(row, sizeof row, " %-20s %-13s %-24s %-13s %5s", name.c_str(), arch.c_str(), version.c_str(),
                repo.c_str(), size.c_str());
  out << row << "\n";
}

// What a spec selects, or why it selects nothing.
struct SpecMatch {
  std::map<std::string, std::string> targets;  // name -> upstream version
  bool failed = false;
};

SpecMatch match_spec(std::ostream &info, const DnfView &view, const std::string &spec, DnfInstallMode mode) {
  SpecMatch result;
  std::map<std::string, std::vector<std::string>> versions;  // name -> matching upstream versions
  for (const auto &p : view.available)
    if (dnf_spec_matches(spec, p.name, p.version, view.format)) versions[p.name].push_back(p.version);
  if (versions.empty()) {
    for (const auto &[name, version] : view.node.packages) {
      if (view.hidden_installed.count(name) || !dnf_spec_matches(spec, name, version, view.format)) continue;
      if (mode == DnfInstallMode::kInstall)
        info << "Package " << view.nevra(name, version) << " is already installed.\n";
      if (mode == DnfInstallMode::kDowngrade)
        info << "Package " << name << " of lowest version already installed, cannot downgrade it.\n";
      return result;
    }
    const bool excluded = std::any_of(view.excluded.begin(), view.excluded.end(), [&](const AvailablePackage &p) {
      return dnf_spec_matches(spec, p.name, p.version, view.format);
    });
    info << (excluded ? "All matches were filtered out by exclude filtering for argument: " : "No match for argument: ")
         << spec << "\n";
    result.failed = true;
    return result;
  }
  for (auto &[name, list] : versions) {
    std::sort(list.begin(), list.end(),
              [](const std::string &a, const std::string &b) { return detail::compare_package_versions(a, b) > 0; });
    const std::string current = view.node.package(name);
    std::string chosen = list.front();  // dnf picks the best (newest) match
    if (mode == DnfInstallMode::kUpgrade && !current.empty() && detail::compare_package_versions(chosen, current) <= 0)
      continue;
    if (mode == DnfInstallMode::kDowngrade) {
      if (current.empty()) {
        info << "Packages for argument " << spec << " available, but not installed.\n";
        result.failed = true;
        continue;
      }
      const auto lower = std::find_if(list.begin(), list.end(), [&](const std::string &v) {
        return detail::compare_package_versions(v, current) < 0;
      });
      if (lower == list.end()) {
        info << "Package " << name << " of lowest version already installed, cannot downgrade it.\n";
        continue;
      }
      chosen = *lower;
    }
    if (chosen == current) info << "Package " << view.nevra(name, current) << " is already installed.\n";
    result.targets[name] = chosen;
  }
  return result;
}

void print_table(std::ostream &out, const DnfView &view, const std::vector<PackageChange> &changes) {
  out << rule() << "\n";
  print_row(out, "Package", "Architecture", "Version", "Repository", "Size");
  out << rule() << "\n";
  const std::vector<std::pair<std::string, std::function<bool(const PackageChange &)>>> sections{
      {"Installing:", [](const PackageChange &c) { return c.is_new() && c.requested; }},
      {"Upgrading:", [](const PackageChange &c) { return !c.is_new() && !c.is_downgrade(); }},
      {"Downgrading:", [](const PackageChange &c) { return c.is_downgrade(); }},
      {"Installing dependencies:", [](const PackageChange &c) { return c.is_new() && !c.requested; }},
  };
  for (const auto &[heading, belongs] : sections) {
    std::vector<const PackageChange *> rows;
    for (const auto &c : changes)
      if (belongs(c)) rows.push_back(&c);
    if (rows.empty()) continue;
    std::sort(rows.begin(), rows.end(), [](const auto *a, const auto *b) { return a->name < b->name; });
    out << heading << "\n";
    for (const auto *c : rows) {
      const AvailablePackage *p = find_version(view.available, c->name, c->to);
      print_row(out, c->name, view.format.arch, view.full(c->to), p ? p->origin : "",
                dnf_size(static_cast<double>(package_size(c->name).download)));
    }
  }
  size_t installs = 0, upgrades = 0, downgrades = 0;
  long download = 0, growth = 0;
  for (const auto &c : changes) {
    (c.is_new() ? installs : c.is_downgrade() ? downgrades : upgrades) += 1;
    download += package_size(c.name).download;
    if (c.is_new()) growth += package_size(c.name).installed;
  }
  out << "\nTransaction Summary\n" << rule() << "\n";
  for (const auto &[action, count] : {std::pair{"Install", installs}, {"Upgrade", upgrades}, {"Downgrade", downgrades}})
    if (count) out << action << "  " << count << (count == 1 ? " Package\n" : " Packages\n");
  out << "\nTotal download size: " << dnf_size(static_cast<double>(download)) << "\n";
  if (growth) out << "Installed size: " << dnf_size(static_cast<double>(growth)) << "\n";
}

void print_transaction(std::ostream &out, const DnfView &view, const std::vector<PackageChange> &changes) {
  out << "Downloading Packages:\n";
  size_t i = 0;
  for (const auto &c : changes) {
    char line[160];
    std::snprintf(line, sizeof line, "(%zu/%zu): %-41s 38 MB/s | %4s     00:00    ", ++i, changes.size(),
                  (view.nevra(c.name, c.to) + ".rpm").c_str(),
                  dnf_size(static_cast<double>(package_size(c.name).download)).c_str());
    out << line << "\n";
  }
  out << std::string(80, '-') << "\n"
      << "Running transaction check\nTransaction check succeeded.\nRunning transaction test\n"
         "Transaction test succeeded.\nRunning transaction\n";
  for (const auto &[heading, kind] : {std::pair{"Upgraded:", 0}, {"Downgraded:", 1}, {"Installed:", 2}}) {
    std::vector<std::string> names;
    for (const auto &c : changes) {
      const int k = c.is_new() ? 2 : c.is_downgrade() ? 1 : 0;
      if (k == kind) names.push_back(view.nevra(c.name, c.to));
    }
    if (names.empty()) continue;
    std::sort(names.begin(), names.end());
    out << "\n" << heading << "\n";
    for (const auto &n : names) out << "  " << n << "\n";
  }
  out << "\nComplete!\n";
}

}  // namespace

int dnf_install(Invocation &inv, const DnfOptions &opts, DnfInstallMode mode) {
  if (opts.args.empty() && mode != DnfInstallMode::kUpgrade) {
    inv.err << "Error: Need to pass a list of pkgs to " << (mode == DnfInstallMode::kInstall ? "install" : "downgrade")
            << "\n";
    return kDnfErrorExit;
  }
  const auto view = load_dnf_view(inv, opts);
  if (!view) return kDnfErrorExit;
  std::ostream discard(nullptr);
  std::ostream &info = opts.quiet ? discard : inv.out;

  std::map<std::string, std::string> targets;
  std::vector<std::string> failed;
  if (opts.args.empty()) {  // upgrade everything dnf can see
    for (const auto &[name, version] : view->node.packages) {
      const AvailablePackage *best = newest_of(view->available, name);
      if (!view->hidden_installed.count(name) && best && detail::compare_package_versions(best->version, version) > 0)
        targets[name] = best->version;
    }
  }
  for (const auto &spec : opts.args) {
    const SpecMatch match = match_spec(info, *view, spec, mode);
    if (match.failed) failed.push_back(spec);
    for (const auto &[name, version] : match.targets) targets[name] = version;
  }
  if (!failed.empty()) {
    if (mode == DnfInstallMode::kDowngrade) {
      inv.err << "Error: No packages marked for downgrade.\n";
    } else {
      inv.err << "Error: Unable to find a match:";
      for (const auto &spec : failed) inv.err << " " << spec;
      inv.err << "\n";
    }
    return kDnfErrorExit;
  }

  const Transaction tx = resolve_transaction(targets, view->node.packages, view->available, {});
  if (!tx.unmet.empty()) {
    inv.err << "Error: \n Problem: cannot install the best candidate for the job\n";
    for (const auto &u : tx.unmet)
      inv.err << "  - nothing provides " << u.dependency << " >= " << u.minimum << " needed by "
              << view->nevra(u.package, u.version) << "\n";
    inv.err << "(try to add '--skip-broken' to skip uninstallable packages or '--nobest' to use not only best "
               "candidate packages)\n";
    return kDnfErrorExit;
  }
  info << "Dependencies resolved.\n";
  if (tx.changes.empty()) {
    info << "Nothing to do.\nComplete!\n";
    return 0;
  }
  print_table(info, *view, tx.changes);
  if (!opts.assume_yes) {
    std::string answer;
    bool yes = false;
    if (!opts.assume_no) {
      inv.out << "Is this ok [y/N]: " << std::flush;
      yes = std::getline(inv.in, answer) && (answer == "y" || answer == "Y" || answer == "yes");
    }
    if (!yes) {
      inv.err << "Operation aborted.\n";
      return kDnfErrorExit;
    }
  }
  print_transaction(info, *view, tx.changes);
  detail::update_node_state(inv.root, [&](detail::NodeState &node) {
    record_transaction(node, tx.changes, /*drop_holds=*/false);
    return true;
  });
  return 0;
}

}  // namespace kuphost::sandbox::sim
