// dnf 4's command line (RHEL 9; yum is the same program there): options
// before or after the command, --disableexcludes, --setopt, -y, -q.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
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

  bool excludes_disabled_for(const std::string &repo_id) const {
    return disable_excludes.count("all") || disable_excludes.count(repo_id);
  }
};

// nullopt + *error (dnf's "Command line error: ..." text) on a bad command line.
std::optional<DnfOptions> parse_dnf_options(const std::vector<std::string> &args, std::string *error);

constexpr int kDnfErrorExit = 1;

}  // namespace kuphost::sandbox::sim
