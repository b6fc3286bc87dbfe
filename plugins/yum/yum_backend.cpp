#include "yum_backend.h"

#include <algorithm>

#include "support/exec_options.hpp"
#include "support/kube_version.hpp"
#include "support/package_command.hpp"
#include "support/repository_edit.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::yum {
namespace {

kup::ExecOptions query_options() { return read_only_query(2 * 60 * 1000); }  // may fetch repository metadata first

// "kubeadm.x86_64" names `package` for any architecture.
bool names_package(std::string_view word, std::string_view package) {
  const auto dot = word.rfind('.');
  return dot != std::string_view::npos && word.substr(0, dot) == package;
}

}  // namespace

YumTool YumTool::detect(const kup::Host &host) {
  YumTool tool;
  tool.manager = host.stat("/usr/bin/dnf").exists() ? "dnf" : "yum";
  // For DNF5 (Fedora 41+) the kubeadm docs give a setopt instead of
  // --disableexcludes (packages.md §4).
  tool.dnf5 = host.stat("/usr/bin/dnf5").exists();
  return tool;
}

// expire-cache first: classic yum keys its cache by repository id only and
// would keep the old minor's metadata until it expires.
std::vector<std::vector<std::string>> YumTool::refresh_commands() const {
  return {{manager, "clean", "expire-cache"}, {manager, "makecache"}};
}

std::vector<std::string> parse_list(const std::string &output, const std::string &package) {
  std::vector<std::string> versions;
  bool name_alone = false;  // the previous line held only "name.arch"
  for (const auto &line : lines_of(output)) {
    const auto words = words_of(line);
    std::string version;
    if (name_alone && !words.empty()) {
      version = words[0];
      name_alone = false;
    } else if (!words.empty() && names_package(words[0], package)) {
      if (words.size() == 1) {
        name_alone = true;
        continue;
      }
      version = words[1];
    }
    if (!version.empty() && std::find(versions.begin(), versions.end(), version) == versions.end())
      versions.push_back(version);
  }
  std::stable_sort(versions.begin(), versions.end(), [](const std::string &a, const std::string &b) {
    return compare_package_versions(a, b) > 0;
  });
  return versions;
}

std::vector<std::string> YumBackend::exclusion_bypass_argv() const {
  const auto text = repository_.read_if_exists();
  return exclusion_bypass(tool_.dnf5, text ? find_kubernetes_section(*text) : std::nullopt);
}

std::vector<std::string> YumBackend::available_versions(const std::string &package) {
  std::vector<std::string> argv{tool_.manager, "list", "--showduplicates", package};
  for (auto &option : exclusion_bypass_argv()) argv.push_back(std::move(option));
  const auto r = host_.run(argv, query_options());
  if (r.exit_code != 0) {
    // "Error: No matching Packages to list" is an empty answer, not a failure.
    if ((r.err + r.out).find("No matching Packages") != std::string::npos) return {};
    throw kup::Error(KUP_E_COMMAND_FAILED,
                     tool_.manager + " cannot list the versions of " + package + ": " +
                         last_line_of(r.err.empty() ? r.out : r.err),
                     r.err);
  }
  return parse_list(r.out, package);
}

std::optional<std::string> YumBackend::installed_version(const std::string &package) {
  // Exits 1 with "package X is not installed".
  const auto r = host_.run({"rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}\\n", package}, query_options());
  const auto lines = lines_of(r.out);
  if (r.exit_code != 0 || lines.empty() || trim(lines[0]).empty()) return std::nullopt;
  return std::string(trim(lines[0]));
}

std::string minor_baseurl(const std::string &repo_text, const std::string &path, const std::string &minor) {
  // edit_repository refuses legacy and non-pkgs.k8s.io files with a message
  // that says what to fix, and rewrites every core URL to the minor.
  const RepositoryEdit edit = edit_repository(repo_text, path, minor);
  for (const auto &raw : lines_of(edit.text)) {
    const std::string_view line = trim(raw);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || repository_detail::is_comment(line)) continue;
    if (trim(line.substr(0, eq)) != "baseurl") continue;
    const auto urls = words_of(line.substr(eq + 1));
    for (const auto &url : urls)
      if (!repository_detail::core_minor_spans(url).empty()) return url;
  }
  throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                   path + " has no baseurl= pointing at pkgs.k8s.io/core:/stable:/v1.N/rpm/; set the repository up "
                          "as the kubeadm install docs do and run kuphost again");
}

std::vector<std::string> list_in_minor_argv(const YumTool &tool, const std::string &package,
                                            const std::string &minor, const std::string &baseurl,
                                            const std::string &cache_dir) {
  const std::string repo_id = "kuphost-" + minor;
  // DNF5 spells "no excludes anywhere" as a setopt, like the per-repo bypass.
  return {tool.manager,
          "--repofrompath=" + repo_id + "," + baseurl,
          "--repo=" + repo_id,
          tool.dnf5 ? "--setopt=disable_excludes=*" : "--disableexcludes=all",
          "--setopt=cachedir=" + cache_dir,
          "list",
          "--showduplicates",
          package};
}

std::vector<std::string> YumBackend::available_versions_in_minor(const std::string &package,
                                                                 const std::string &minor) {
  if (repository_detail::minor_length_at(minor + "/", 0) != minor.size())
    throw kup::Error(KUP_E_INVALID_ARGUMENT, "'" + minor + "' is not a Kubernetes minor such as v1.31");
  const std::string baseurl = minor_baseurl(repository_.read(), kRepositoryFile, minor);
  const std::string cache_dir = scratch_dir(host_) + "/dnf-cache";
  host_.make_dirs(cache_dir, 0755);
  const auto r = host_.run(list_in_minor_argv(tool_, package, minor, baseurl, cache_dir), query_options());
  if (r.exit_code != 0) {
    const std::string all = r.err + r.out;
    if (all.find("No matching Packages") != std::string::npos) return {};
    const bool missing = all.find("Status code: 404") != std::string::npos;
    throw kup::Error(missing ? KUP_E_NOT_FOUND : KUP_E_COMMAND_FAILED,
                     tool_.manager + " cannot read the " + minor + " repository " + baseurl +
                         (missing ? " (pkgs.k8s.io has none for that minor yet)" : "") + ": " +
                         last_line_of(r.err.empty() ? r.out : r.err),
                     r.err);
  }
  return parse_list(r.out, package);
}

// dnf's install moves to the exact version in either direction. Classic yum
// installs only upward, so older pins (a rollback) go through `downgrade`,
// a second transaction.
void YumBackend::install(const std::vector<PackagePin> &pins) {
  std::vector<std::string> upward, downward;
  for (const auto &p : pins) {
    const auto installed = installed_version(p.name);
    if (installed == p.version) continue;
    const bool older = installed && compare_package_versions(p.version, *installed) < 0;
    (older && tool_.manager == "yum" ? downward : upward).push_back(p.name + "-" + p.version);
  }
  if (upward.empty() && downward.empty()) return;
  kup::ExecOptions opt;
  opt.stream = true;
  opt.timeout_ms = 15 * 60 * 1000;
  const auto bypass = exclusion_bypass_argv();
  for (const auto &[verb, specs] : {std::pair{"install", &upward}, std::pair{"downgrade", &downward}}) {
    if (specs->empty()) continue;
    std::vector<std::string> argv{tool_.manager, verb, "-y"};
    argv.insert(argv.end(), specs->begin(), specs->end());
    argv.insert(argv.end(), bypass.begin(), bypass.end());
    // The failure names dnf's "Error: " line (no such version, a missing
    // dependency), not only the exit code.
    run_package_command(host_, argv, opt, "Error:");
  }
}

// On rpm systems the repository's `exclude=kubelet kubeadm kubectl ...` line
// is the hold (packages.md §5): plain `dnf upgrade` skips the packages, and
// kuphost passes the exclusion bypass to its own commands only. There is no
// per-package hold to lift or restore.
void YumBackend::hold(const std::vector<std::string> &) {}
void YumBackend::unhold(const std::vector<std::string> &) {}

}  // namespace kuphost_plugins::yum
