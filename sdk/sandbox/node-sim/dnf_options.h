// dnf 4's command line (RHEL 9; yum is the same program there): options
// before or after the command, --disableexcludes, --setopt, -y, -q.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kuphost::sandbox::sim {

struct DnfOptions {
  std::string command;
  std::vector<std::string> args;
  bool assume_yes = false, assume_no = false, quiet = false;
  bool show_duplicates = false;
  bool refresh = false, cache_only = false;
  std::set<std::string> disable_excludes;   // "all", "main" or repository ids
  std::vector<std::string> disabled_repos;  // globs; --repo ID disables "*" and enables ID
  std::vector<std::string> enabled_repos;
  std::vector<std::string> excludes;  // -x / --exclude / --setopt=exclude=
  // --setopt=ID.OPTION=VALUE for exclude, excludepkgs, enabled, skip_if_unavailable
  std::map<std::string, std::string> repo_settings;  // "kubernetes.exclude" -> ""
  // --repofrompath=ID,URL: ad-hoc repositories, enabled unless --repo/--disablerepo say otherwise.
  std::vector<std::pair<std::string, std::string>> repos_from_path;
  // --setopt=cachedir=DIR: metadata is cached there instead of the node's cache.
  std::optional<std::string> cache_dir;

  bool excludes_disabled_for(const std::string &repo_id) const {
    return disable_excludes.count("all") || disable_excludes.count(repo_id);
  }
};

// nullopt + *error (dnf's "Command line error: ..." text) on a bad command line.
std::optional<DnfOptions> parse_dnf_options(const std::vector<std::string> &args, std::string *error);

constexpr int kDnfErrorExit = 1;

}  // namespace kuphost::sandbox::sim
