// apt-get install PKG[=VERSION|=GLOB]... and apt-get upgrade: the targets
// they ask for; apt_transaction.cpp does the rest.
#include <ostream>
#include <set>

#include "apt_get.h"
#include "apt_output.h"
#include "apt_transaction.h"
#include "package_resolver.h"
#include "package_version.h"

namespace kuphost::sandbox::sim {
namespace {

// The version `pattern` (exact or a glob such as 1.31.2-*) selects: the
// newest matching one among the lists and the installed version.
std::string select_version(const AptView &view, const std::string &name, const std::string &pattern) {
  std::string best;
  auto consider = [&](const std::string &upstream) {
    if (glob_match(pattern, view.deb(upstream)) &&
        (best.empty() || detail::compare_package_versions(upstream, best) > 0))
      best = upstream;
  };
  for (const AvailablePackage *p : versions_of(view.available, name)) consider(p->version);
  if (view.installed(name)) consider(view.node.package(name));
  return best;
}

}  // namespace

int apt_get_install(Invocation &inv, const AptOptions &opts) {
  AptOutput output(inv, opts.quiet);
  std::ostream &out = output.out();
  const AptView view = load_apt_view(inv, opts);
  print_reading_state(out);

  AptRequest request;
  std::vector<std::string> order;
  bool failed = false;
  for (size_t i = 1; i < opts.operands.size(); ++i) {
    const std::string &spec = opts.operands[i];
    const auto eq = spec.find('=');
    const std::string name = spec.substr(0, eq);
    if (!view.known(name)) {
      inv.err << "E: Unable to locate package " << name << "\n";
      failed = true;
      continue;
    }
    std::string version = view.candidate(name);
    if (eq != std::string::npos) {
      const std::string pattern = spec.substr(eq + 1);
      version = select_version(view, name, pattern);
      if (version.empty()) {
        out << "Package " << name << " is not available, but is referred to by another package.\n"
            << "This may mean that the package is missing, has been obsoleted, or\n"
            << "is only available from another source\n\n";
        inv.err << "E: Version '" << pattern << "' for '" << name << "' was not found\n";
        failed = true;
        continue;
      }
    }
    if (!request.targets.count(name)) order.push_back(name);
    request.targets[name] = version;
  }
  if (failed) return kAptErrorExit;
  for (const auto &name : order)
    if (request.targets[name] == view.node.package(name))
      out << name << " is already the newest version (" << view.deb(request.targets[name]) << ").\n";
  return carry_out_apt_transaction(inv, opts, view, request);
}

// Every installed package to its candidate, except held ones (kept back,
// which is what the holds are for) and ones whose dependencies would need a
// held package moved or a new package installed.
int apt_get_upgrade(Invocation &inv, const AptOptions &opts) {
  AptOutput output(inv, opts.quiet);
  std::ostream &out = output.out();
  const AptView view = load_apt_view(inv, opts);
  print_reading_state(out);
  out << "Calculating upgrade...\n";

  AptRequest request;
  request.always_ask = true;
  for (const auto &[name, version] : view.node.packages) {
    const std::string candidate = view.candidate(name);
    if (detail::compare_package_versions(candidate, version) <= 0) continue;
    if (view.node.is_held(name)) {
      request.kept_back.push_back(name);
    } else {
      request.targets[name] = candidate;
    }
  }
  std::set<std::string> keep(view.node.held_packages.begin(), view.node.held_packages.end());
  for (bool changed = true; changed;) {
    changed = false;
    const Transaction tx = resolve_transaction(request.targets, view.node.packages, view.available, keep);
    for (const auto &u : tx.unmet) {
      changed = request.targets.erase(u.package) != 0 || changed;
      request.kept_back.push_back(u.package);
    }
    for (const auto &c : tx.changes) {
      if (!c.is_new()) continue;
      // upgrade never installs new packages: keep back whatever needs one.
      for (const auto &[name, version] : request.targets) {
        const AvailablePackage *p = find_version(view.available, name, version);
        if (p && p->depends.count(c.name)) {
          request.kept_back.push_back(name);
          request.targets.erase(name);
          changed = true;
          break;
        }
      }
    }
  }
  return carry_out_apt_transaction(inv, opts, view, request);
}

}  // namespace kuphost::sandbox::sim
