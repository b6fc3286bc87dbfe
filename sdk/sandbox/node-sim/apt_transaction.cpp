#include "apt_transaction.h"

#include <algorithm>
#include <istream>
#include <ostream>
#include <set>

#include "apt_output.h"
#include "package_install.h"
#include "package_resolver.h"
#include "package_version.h"

namespace kuphost::sandbox::sim {
namespace {

// apt's ShowList: a heading, then the names indented on one line.
void show_list(std::ostream &out, const std::string &heading, std::vector<std::string> names) {
  if (names.empty()) return;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  out << heading << "\n ";
  for (const auto &n : names) out << " " << n;
  out << "\n";
}

void show_unmet(Invocation &inv, std::ostream &out, const AptView &view, const std::vector<UnmetDependency> &unmet) {
  out << "Some packages could not be installed. This may mean that you have\n"
         "requested an impossible situation or if you are using the unstable\n"
         "distribution that some required packages have not yet been created\n"
         "or been moved out of Incoming.\n"
         "The following information may help to resolve the situation:\n\n"
         "The following packages have unmet dependencies:\n";
  std::string previous;
  for (const auto &u : unmet) {
    out << (u.package == previous ? std::string(u.package.size() + 4, ' ') : " " + u.package + " : ")
        << "Depends: " << u.dependency << " (>= " << u.minimum << ") but "
        << (u.offered.empty() ? "it is not installable" : view.deb(u.offered) + " is to be installed") << "\n";
    previous = u.package;
  }
  inv.err << "E: Unable to correct problems, you have held broken packages.\n";
}

// "isv:kubernetes:core:stable:v1.31:pkgs.k8s.io": the Release file's label
// and the site, as apt's simulation names a version's origin.
std::string release_of(const AptView &view, const std::string &name, const std::string &version) {
  const AvailablePackage *p = find_version(view.available, name, version);
  if (!p) return "now";
  const RepositoryTarget target = locate_repository(p->origin, "deb", view.universe);
  return "isv:kubernetes:core:stable:" + target.minor + ":" + target.host;
}

void show_simulation(std::ostream &out, const AptView &view, const std::vector<PackageChange> &changes) {
  for (const auto &c : changes) {
    out << "Inst " << c.name << (c.is_new() ? "" : " [" + view.deb(c.from) + "]") << " (" << view.deb(c.to) << " "
        << release_of(view, c.name, c.to) << " [" << view.format.arch << "])\n";
  }
  for (const auto &c : changes)
    out << "Conf " << c.name << " (" << view.deb(c.to) << " " << release_of(view, c.name, c.to) << " ["
        << view.format.arch << "])\n";
}

// apt's YnPrompt with "yes" as the default: an empty line agrees, end of
// input (no terminal, nothing piped) does not.
bool confirmed(Invocation &inv, std::ostream &out) {
  out << "Do you want to continue? [Y/n] " << std::flush;
  std::string answer;
  if (!std::getline(inv.in, answer)) return false;
  return answer.empty() || answer[0] == 'y' || answer[0] == 'Y';
}

const AptSource *source_of(const AptView &view, const std::string &uri) {
  for (const auto &s : view.sources)
    if (s.uri == uri) return &s;
  return nullptr;
}

// The download (apt's, silenced by -qq) and dpkg's unpack/configure lines
// (dpkg's own output, which -qq does not silence).
void show_installation(Invocation &inv, std::ostream &out, const AptView &view,
                       const std::vector<PackageChange> &changes) {
  long total = 0;
  int item = 1;
  for (const auto &c : changes) {
    const AvailablePackage *p = find_version(view.available, c.name, c.to);
    const AptSource *source = p ? source_of(view, p->origin) : nullptr;
    const long size = package_size(c.name).download;
    total += size;
    out << "Get:" << item++ << " " << (source ? apt_fetch_description(*source) : std::string("file:/ ")) << " "
        << c.name << " " << view.deb(c.to) << " [" << apt_size(static_cast<double>(size)) << "B]\n";
  }
  out << "Fetched " << apt_size(static_cast<double>(total)) << "B in 1s (" << apt_size(static_cast<double>(total))
      << "B/s)\n";
  bool database_read = false;
  std::ostream &dpkg = inv.out;
  for (const auto &c : changes) {
    if (c.is_new()) dpkg << "Selecting previously unselected package " << c.name << ".\n";
    if (c.is_downgrade())
      inv.err << "dpkg: warning: downgrading " << c.name << " from " << view.deb(c.from) << " to " << view.deb(c.to)
              << "\n";
    if (!database_read) dpkg << "(Reading database ... 71234 files and directories currently installed.)\n";
    database_read = true;
    dpkg << "Preparing to unpack .../" << c.name << "_" << view.deb(c.to) << "_" << view.format.arch << ".deb ...\n"
         << "Unpacking " << c.name << " (" << view.deb(c.to) << ")"
         << (c.is_new() ? "" : " over (" + view.deb(c.from) + ")") << " ...\n";
  }
  for (const auto &c : changes) dpkg << "Setting up " << c.name << " (" << view.deb(c.to) << ") ...\n";
}

}  // namespace

int carry_out_apt_transaction(Invocation &inv, const AptOptions &opts, const AptView &view, const AptRequest &request) {
  AptOutput output(inv, opts.quiet);
  std::ostream &out = output.out();
  if (opts.force_yes)
    inv.err << "W: --force-yes is deprecated, use one of the options starting with --allow instead.\n";

  // Held packages stay where they are unless named on the command line.
  std::set<std::string> keep;
  for (const auto &held : view.node.held_packages)
    if (!request.targets.count(held)) keep.insert(held);
  const Transaction tx = resolve_transaction(request.targets, view.node.packages, view.available, keep);
  if (!tx.unmet.empty()) {
    show_unmet(inv, out, view, tx.unmet);
    return kAptErrorExit;
  }

  std::vector<std::string> extra, fresh, held, upgraded, downgraded;
  size_t requested = 0;
  for (const auto &c : tx.changes) {
    if (c.requested) ++requested;
    if (!c.requested) extra.push_back(c.name);
    if (c.is_new()) fresh.push_back(c.name);
    if (view.node.is_held(c.name)) held.push_back(c.name);
    if (!c.is_new() && !c.is_downgrade()) upgraded.push_back(c.name);
    if (c.is_downgrade()) downgraded.push_back(c.name);
  }
  int not_upgraded = 0;
  for (const auto &installed : view.node.packages) {
    const std::string &name = installed.first;
    const bool changing =
        std::any_of(tx.changes.begin(), tx.changes.end(), [&](const auto &c) { return c.name == name; });
    if (!changing && detail::compare_package_versions(view.candidate(name), installed.second) > 0) ++not_upgraded;
  }
  show_list(out, "The following additional packages will be installed:", extra);
  show_list(out, "The following NEW packages will be installed:", fresh);
  show_list(out, "The following packages have been kept back:", request.kept_back);
  show_list(out, "The following held packages will be changed:", held);
  show_list(out, "The following packages will be upgraded:", upgraded);
  show_list(out, "The following packages will be DOWNGRADED:", downgraded);
  out << upgraded.size() << " upgraded, " << fresh.size() << " newly installed, "
      << (downgraded.empty() ? "" : std::to_string(downgraded.size()) + " downgraded, ") << "0 to remove and "
      << not_upgraded << " not upgraded.\n";
  if (tx.changes.empty()) return 0;

  // Changing a hold or downgrading needs explicit consent when nobody is asked.
  const bool needs_consent = !held.empty() || !downgraded.empty();
  if (needs_consent && (opts.assume_yes || opts.quiet >= 2)) {
    if (!held.empty() && !opts.allow_change_held) {
      inv.err << "E: Held packages were changed and -y was used without --allow-change-held-packages.\n";
      return kAptErrorExit;
    }
    if (!downgraded.empty() && !opts.allow_downgrades) {
      inv.err << "E: Packages were downgraded and -y was used without --allow-downgrades.\n";
      return kAptErrorExit;
    }
  }
  if (opts.simulate) {
    show_simulation(out, view, tx.changes);
    return 0;
  }

  long download = 0, growth = 0;
  for (const auto &c : tx.changes) {
    download += package_size(c.name).download;
    if (c.is_new()) growth += package_size(c.name).installed;  // same-sized versions otherwise
  }
  out << "Need to get " << apt_size(static_cast<double>(download)) << "B of archives.\n"
      << "After this operation, " << apt_size(static_cast<double>(growth))
      << "B of additional disk space will be used.\n";
  const bool ask = request.always_ask || needs_consent || requested != tx.changes.size();
  if (ask && !opts.assume_yes && opts.quiet < 2 && !confirmed(inv, out)) {
    out << "Abort.\n";
    return 1;
  }
  show_installation(inv, out, view, tx.changes);
  detail::update_node_state(inv.root, [&](detail::NodeState &node) {
    record_transaction(node, tx.changes, /*drop_holds=*/true);
    return true;
  });
  return 0;
}

}  // namespace kuphost::sandbox::sim
