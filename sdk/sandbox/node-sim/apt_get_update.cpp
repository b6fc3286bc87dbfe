// apt-get update: fetches the package lists of the configured repositories
// into node.yaml `aptLists`. A repository pkgs.k8s.io lacks (a minor outside
// the sandbox's universe) or a removed legacy one has no Release file
// (rc 100); any other host is unreachable, as the sandbox has no network
// (a warning, rc 0, unless --error-on=any). Outputs follow apt 2.6/2.7.
#include <algorithm>
#include <ostream>

#include "apt_get.h"
#include "apt_output.h"
#include "apt_view.h"
#include "node_state.h"
#include "package_universe.h"

namespace kuphost::sandbox::sim {
namespace {

// What one update run found.
struct UpdateOutcome {
  std::vector<std::string> fetched;  // sources whose lists are now current
  std::vector<std::string> errors, warnings;
  long bytes = 0;
};

// Roughly the size of pkgs.k8s.io's InRelease and Packages files.
constexpr long kInReleaseBytes = 1186;
long packages_file_bytes(const detail::UniverseRepository &repo) {
  long versions = 0;
  for (const auto &entry : repo.packages) versions += static_cast<long>(entry.second.versions.size());
  return 1050 * versions;
}

std::string ip_of(const std::string &host) {
  return host == "apt.kubernetes.io" || host == "packages.cloud.google.com" ? "142.250.72.110" : "18.172.134.4";
}

void fetch(std::ostream &out, const AptSource &source, const detail::PackageUniverse &universe,
           const detail::NodeState &node, int &item, UpdateOutcome &outcome) {
  const std::string shown = apt_fetch_description(source);
  const RepositoryTarget target = locate_repository(source.uri, "deb", universe);
  // pkgs.k8s.io serves flat repositories only: "deb URI /".
  const RepositoryState state =
      target.state == RepositoryState::kAvailable && !source.flat() ? RepositoryState::kNotFound : target.state;
  if (state == RepositoryState::kAvailable) {
    if (lists_fetched(node, source.uri)) {
      out << "Hit:" << item++ << " " << shown << " InRelease\n";
    } else {
      const long packages = packages_file_bytes(*target.contents);
      out << "Get:" << item++ << " " << shown << " InRelease [" << apt_size(kInReleaseBytes) << "B]\n";
      out << "Get:" << item++ << " " << shown << " Packages [" << apt_size(static_cast<double>(packages)) << "B]\n";
      outcome.bytes += kInReleaseBytes + packages;
    }
    outcome.fetched.push_back(source.uri);
  } else if (state == RepositoryState::kNotFound) {
    out << "Ign:" << item++ << " " << shown << " InRelease\n";
    out << "Err:" << item++ << " " << shown << " Release\n  404  Not Found [IP: " << ip_of(target.host) << " 443]\n";
    outcome.errors.push_back("E: The repository '" + source.apt_description() +
                             " Release' does not have a Release file.");
    outcome.errors.push_back(
        "N: Updating from such a repository can't be done securely, and is therefore disabled by default.");
    outcome.errors.push_back("N: See apt-secure(8) manpage for repository creation and user configuration details.");
  } else {
    std::string host = url_host(source.uri);
    if (host.empty()) host = source.uri;
    out << "Err:" << item++ << " " << shown << " InRelease\n  Temporary failure resolving '" << host << "'\n";
    std::string url = source.uri;
    if (!url.empty() && url.back() != '/') url += '/';
    url += source.flat() ? "InRelease" : "dists/" + source.suite + "/InRelease";
    outcome.warnings.push_back("Failed to fetch " + url + "  Temporary failure resolving '" + host + "'");
  }
}

}  // namespace

int apt_get_update(Invocation &inv, const AptOptions &opts) {
  AptOutput output(inv, opts.quiet);
  std::ostream &out = output.out();
  const auto universe = detail::read_package_universe(inv.sandbox_dir);
  const auto sources = read_apt_sources(inv.root);
  UpdateOutcome outcome;
  int item = 1;
  {
    const detail::NodeState node = detail::read_node_state(inv.root);
    for (const auto &source : sources) fetch(out, source, universe, node, item, outcome);
  }
  if (outcome.bytes > 0)
    out << "Fetched " << apt_size(static_cast<double>(outcome.bytes)) << "B in 1s ("
        << apt_size(static_cast<double>(outcome.bytes)) << "B/s)\n";
  out << "Reading package lists...\n";

  const bool complete = outcome.errors.empty() && outcome.warnings.empty();
  detail::update_node_state(inv.root, [&](detail::NodeState &node) {
    // A complete update drops the lists of repositories no longer
    // configured; a failed one keeps everything it had (apt's list cleanup).
    if (complete) node.apt_lists.clear();
    for (const auto &uri : outcome.fetched)
      if (!lists_fetched(node, uri)) node.apt_lists.push_back(uri);
    return true;
  });

  for (const auto &line : outcome.errors) inv.err << line << "\n";
  if (!outcome.warnings.empty()) {
    const std::string level = opts.error_on_any ? "E: " : "W: ";
    for (const auto &line : outcome.warnings) inv.err << level << line << "\n";
    inv.err << level << "Some index files failed to download. They have been ignored, or old ones used instead.\n";
  }
  if (!outcome.errors.empty() || (opts.error_on_any && !outcome.warnings.empty())) return kAptErrorExit;
  return 0;
}

}  // namespace kuphost::sandbox::sim
