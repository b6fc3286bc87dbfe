#include "dnf_view.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <ctime>
#include <ostream>

#include "package_sources.h"
#include "clock_text.h"

namespace kuphost::sandbox::sim {
namespace {

std::string substitute_variables(std::string url) {
  for (const auto &[variable, value] :
       {std::pair<std::string, std::string>{"$basearch", "x86_64"}, {"$arch", "x86_64"}, {"$releasever", "9"}}) {
    for (auto at = url.find(variable); at != std::string::npos; at = url.find(variable))
      url.replace(at, variable.size(), value);
  }
  return url;
}

// "Last metadata expiration check: 0:02:51 ago on Tue 01 Oct 2024 10:00:00 AM UTC."
std::string expiration_check_line(const std::string &fetched_at) {
  std::tm tm{};
  if (!strptime(fetched_at.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return "";
  const std::time_t fetched = timegm(&tm);
  long age = static_cast<long>(std::time(nullptr) - fetched);
  if (age < 0) age = 0;
  char when[64], line[160];
  std::strftime(when, sizeof when, "%a %d %b %Y %I:%M:%S %p UTC", &tm);
  const long days = age / 86400;
  std::snprintf(line, sizeof line, "Last metadata expiration check: %s%ld:%02ld:%02ld ago on %s.",
                days > 0 ? (std::to_string(days) + (days == 1 ? " day, " : " days, ")).c_str() : "",
                (age % 86400) / 3600, (age % 3600) / 60, age % 60, when);
  return line;
}

bool matches_any(const std::vector<std::string> &patterns, const std::string &name) {
  for (const auto &p : patterns)
    if (glob_match(p, name)) return true;
  return false;
}

bool repo_enabled(const YumRepo &repo, const DnfOptions &opts) {
  bool enabled = repo.enabled;
  if (const auto it = opts.repo_settings.find(repo.id + ".enabled"); it != opts.repo_settings.end())
    enabled = it->second == "1" || it->second == "True" || it->second == "true";
  if (matches_any(opts.disabled_repos, repo.id)) enabled = false;
  if (matches_any(opts.enabled_repos, repo.id)) enabled = true;
  return enabled;
}

// The repository's exclude list as this command sees it: empty when
// disabled by --disableexcludes / disable_excludes.
std::vector<std::string> active_excludes(const YumRepo &repo, const DnfOptions &opts) {
  if (opts.excludes_disabled_for(repo.id)) return {};
  for (const char *key : {".exclude", ".excludepkgs"})
    if (const auto it = opts.repo_settings.find(repo.id + key); it != opts.repo_settings.end())
      return split_dnf_list(it->second);
  return repo.excludes;
}

void print_failure(Invocation &inv, const YumRepo &repo, const std::string &url, const RepositoryTarget &target) {
  const std::string repomd = url + (url.ends_with("/") ? "" : "/") + "repodata/repomd.xml";
  inv.err << "Errors during downloading metadata for repository '" << repo.id << "':\n";
  if (target.state == RepositoryState::kNotFound) {
    inv.err << "  - Status code: 404 for " << repomd << " (IP: 18.172.134.4)\n"
            << "Error: Failed to download metadata for repo '" << repo.id
            << "': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried\n";
  } else {
    const std::string curl = "Curl error (6): Couldn't resolve host name for " + repomd +
                             " [Could not resolve host: " + (target.host.empty() ? url : target.host) + "]";
    inv.err << "  - " << curl << "\n"
            << "Error: Failed to download metadata for repo '" << repo.id << "': Cannot download repomd.xml: " << curl
            << "\n";
  }
}

}  // namespace

bool dnf_spec_matches(const std::string &spec, const std::string &name, const std::string &upstream,
                      const PackageFormat &format) {
  const std::string nv = name + "-" + upstream, nvr = name + "-" + format.full(upstream);
  for (const std::string &form :
       {name, name + "." + format.arch, nv, nv + "." + format.arch, nvr, nvr + "." + format.arch})
    if (glob_match(spec, form)) return true;
  return false;
}

std::optional<DnfView> load_dnf_view(Invocation &inv, const DnfOptions &opts) {
  DnfView view;
  view.node = detail::read_node_state(inv.root);
  view.universe = detail::read_package_universe(inv.sandbox_dir);
  view.format = rpm_format(view.universe);
  std::vector<detail::DnfCacheEntry> downloaded;
  std::string oldest_cached;
  bool installed_from_set = false;
  std::vector<YumRepo> repos = read_yum_repos(inv.root);
  std::set<std::string> ad_hoc;
  for (const auto &[id, url] : opts.repos_from_path) {
    YumRepo repo;
    repo.id = repo.name = id;
    repo.baseurl = url;
    repos.push_back(repo);
    ad_hoc.insert(id);
    if (!opts.quiet) inv.out << "Added " << id << " repo from " << url << "\n";
  }
  std::stable_sort(repos.begin(), repos.end(), [](const YumRepo &a, const YumRepo &b) { return a.id < b.id; });
  // With another cachedir the node's own metadata cache is neither read nor written.
  const bool node_cache = !opts.cache_dir;
  for (const YumRepo &repo : repos) {
    if (!repo_enabled(repo, opts)) continue;
    const std::string url = substitute_variables(repo.baseurl);
    const RepositoryTarget target = locate_repository(url, "rpm", view.universe);
    const std::vector<std::string> excludes = active_excludes(repo, opts);
    // Installed packages keep the repository they came from, never an ad-hoc one.
    if (target.state != RepositoryState::kUnreachable && !installed_from_set && !ad_hoc.count(repo.id)) {
      // The Kubernetes packages were installed from the first repository serving them.
      view.installed_from = repo.id;
      installed_from_set = true;
      for (const auto &entry : view.node.packages)
        if (matches_any(excludes, entry.first)) view.hidden_installed.insert(entry.first);
    }
    if (target.state != RepositoryState::kAvailable) {
      bool skip = repo.skip_if_unavailable;
      if (const auto it = opts.repo_settings.find(repo.id + ".skip_if_unavailable"); it != opts.repo_settings.end())
        skip = it->second == "1" || it->second == "True" || it->second == "true";
      if (skip) {
        if (!opts.quiet) inv.out << "Ignoring repositories: " << repo.id << "\n";
        continue;
      }
      print_failure(inv, repo, url, target);
      return std::nullopt;
    }
    const detail::DnfCacheEntry *cached = nullptr;
    for (const auto &entry : view.node.dnf_cache)
      if (node_cache && entry.baseurl == url) cached = &entry;
    if (cached && !opts.refresh) {
      if (oldest_cached.empty() || cached->fetched_at < oldest_cached) oldest_cached = cached->fetched_at;
    } else if (opts.cache_only) {
      inv.err << "Error: Cache-only enabled but no cache for '" << repo.id << "'\n";
      return std::nullopt;
    } else {
      if (!opts.quiet) {
        std::string shown = repo.name.substr(0, 48);
        shown.resize(48, ' ');
        inv.out << shown << " 31 kB/s |  17 kB     00:00    \n";
      }
      if (node_cache) downloaded.push_back({url, detail::now_rfc3339()});
    }
    std::vector<AvailablePackage> packages;
    add_repository_packages(*target.contents, repo.id, &packages);
    for (auto &p : packages) (matches_any(excludes, p.name) ? view.excluded : view.available).push_back(std::move(p));
  }
  // Excludes from dnf.conf [main] / -x / --exclude hide installed packages as well.
  if (!opts.excludes_disabled_for("main")) {
    for (const auto &entry : view.node.packages)
      if (matches_any(opts.excludes, entry.first)) view.hidden_installed.insert(entry.first);
    std::erase_if(view.available, [&](const AvailablePackage &p) {
      if (!matches_any(opts.excludes, p.name)) return false;
      view.excluded.push_back(p);
      return true;
    });
  }
  if (downloaded.empty() && !oldest_cached.empty() && !opts.quiet)
    inv.out << expiration_check_line(oldest_cached) << "\n";
  if (!downloaded.empty()) {
    detail::update_node_state(inv.root, [&](detail::NodeState &node) {
      for (const auto &fresh : downloaded) {
        std::erase_if(node.dnf_cache, [&](const detail::DnfCacheEntry &e) { return e.baseurl == fresh.baseurl; });
        node.dnf_cache.push_back(fresh);
      }
      return true;
    });
  }
  return view;
}

}  // namespace kuphost::sandbox::sim
