// apt-get update: fetches the package lists of the configured repositories
// into node.yaml `aptLists`. A repository pkgs.k8s.io lacks (a minor outside
// the sandbox's universe) or a removed legacy one has no Release file
// (rc 100); any other host is unreachable, as the sandbox has no network
// (a warning, rc 0, unless --error-on=any). Outputs follow apt 2.6/2.7.
#include <algorithm>
#include <ostream>
#include <set>

#include "apt_get.h"
#include "apt_output.h"
#include "apt_view.h"
#include "fs_util.h"
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
           const detail::NodeState &node, const AptIndex &index, int &item, UpdateOutcome &outcome) {
  const std::string shown = apt_fetch_description(source);
  const RepositoryTarget target = locate_repository(source.uri, "deb", universe);
  // pkgs.k8s.io serves flat repositories only: "deb URI /".
  const RepositoryState state =
      target.state == RepositoryState::kAvailable && !source.flat() ? RepositoryState::kNotFound : target.state;
  if (state == RepositoryState::kAvailable) {
    if (index.fetched(node, source.uri)) {
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

// A private lists directory (-o Dir::State::Lists=) holds list files named
// as apt names them; the sandbox writes short stand-ins, as only their
// presence matters to it. A complete update drops the files of sources no
// longer configured, as apt's list cleanup does.
void store_private_lists(const fs::path &dir, const UpdateOutcome &outcome, const detail::PackageUniverse &universe,
                         bool complete) {
  std::set<std::string> keep{"lock", "partial"};
  for (const auto &uri : outcome.fetched) {
    const RepositoryTarget target = locate_repository(uri, "deb", universe);
    std::string packages;
    if (target.contents)
      for (const auto &[name, package] : target.contents->packages)
        for (const auto &version : package.versions) packages += "Package: " + name + "\nVersion: " + version + "\n\n";
    for (const auto &[file, text] :
         {std::pair<std::string, std::string>{"InRelease", "Origin: obs://build.opensuse.org/isv:kubernetes:core:stable:" +
                                                               target.minor + "/deb\n"},
          {"Packages", packages}}) {
      keep.insert(apt_list_file_name(uri, file));
      detail::write_file_atomic(dir / apt_list_file_name(uri, file), text, 0644);
    }
  }
  if (!complete) return;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(dir, ec))
    if (!keep.count(entry.path().filename().string())) fs::remove(entry.path(), ec);
}

}  // namespace

int apt_get_update(Invocation &inv, const AptOptions &opts) {
  AptOutput output(inv, opts.quiet);
  std::ostream &out = output.out();
  const auto universe = detail::read_package_universe(inv.sandbox_dir);
  const AptIndex index = apt_index(inv, opts);
  // apt creates partial/ itself only under /var/lib; elsewhere it must exist.
  if (index.lists_dir && !fs::is_directory(*index.lists_dir / "partial")) {
    inv.err << "E: List directory " << index.lists_dir_shown
            << "partial is missing. - Acquire (2: No such file or directory)\n";
    return kAptErrorExit;
  }
  const auto sources = read_apt_sources(index.source_list, index.source_parts);
  UpdateOutcome outcome;
  int item = 1;
  {
    const detail::NodeState node = detail::read_node_state(inv.root);
    for (const auto &source : sources) fetch(out, source, universe, node, index, item, outcome);
  }
  if (outcome.bytes > 0)
    out << "Fetched " << apt_size(static_cast<double>(outcome.bytes)) << "B in 1s ("
        << apt_size(static_cast<double>(outcome.bytes)) << "B/s)\n";
  out << "Reading package lists...\n";

  const bool complete = outcome.errors.empty() && outcome.warnings.empty();
  if (index.lists_dir) {
    detail::write_file_atomic(*index.lists_dir / "lock", "", 0640);
    store_private_lists(*index.lists_dir, outcome, universe, complete);
  } else detail::update_node_state(inv.root, [&](detail::NodeState &node) {
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
