// The node's repository configuration as apt and dnf read it, and what each
// repository URL reaches in the sandbox: a pkgs.k8s.io minor from
// cluster/packages.yaml, a 404 (a minor pkgs.k8s.io lacks, or the legacy
// apt.kubernetes.io / packages.cloud.google.com repositories removed on
// 2024-03-04), or nothing at all (the sandbox has no network).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "package_universe.h"

namespace kuphost::sandbox::sim {

namespace fs = std::filesystem;

enum class RepositoryState { kAvailable, kNotFound, kUnreachable };

struct RepositoryTarget {
  RepositoryState state = RepositoryState::kUnreachable;
  std::string host;                                      // "pkgs.k8s.io"
  std::string minor;                                     // "v1.31" when available
  const detail::UniverseRepository *contents = nullptr;  // when available
};

// `format` is "deb" or "rpm": an apt source pointing at an rpm repository
// finds no Release file, as on the real service.
RepositoryTarget locate_repository(const std::string &url, const std::string &format,
                                   const detail::PackageUniverse &universe);

// The host part of an http(s) URL ("" for others).
std::string url_host(const std::string &url);

// One `deb` line of /etc/apt/sources.list or sources.list.d/*.list.
struct AptSource {
  std::string uri;    // as written: "https://pkgs.k8s.io/core:/stable:/v1.31/deb/"
  std::string suite;  // "/" for pkgs.k8s.io's flat repositories
  std::vector<std::string> components;

  bool flat() const { return suite == "/" || (!suite.empty() && suite.back() == '/'); }
  // How apt names it in its messages: "https://pkgs.k8s.io/core:/stable:/v1.31/deb " +
  // ("" for a flat repository, else the suite), e.g. "... InRelease".
  std::string apt_description() const;
};

// In apt's reading order: sources.list, then sources.list.d/*.list by name.
// deb822 *.sources files are not read.
std::vector<AptSource> read_apt_sources(const fs::path &root);
// The same from an explicit main file and parts directory (host paths; no
// parts directory for apt's "/dev/null"). A missing main file is no source.
std::vector<AptSource> read_apt_sources(const fs::path &source_list, const std::optional<fs::path> &source_parts);

// One [section] of /etc/yum.repos.d/*.repo.
struct YumRepo {
  std::string id, name, baseurl;
  bool enabled = true;
  bool skip_if_unavailable = false;   // RHEL 9's default
  std::vector<std::string> excludes;  // exclude= / excludepkgs=; a `#exclude=` line is a comment
};

// Sections of every *.repo file, ordered by id as dnf lists them.
std::vector<YumRepo> read_yum_repos(const fs::path &root);

// dnf's list options (exclude=, --disableexcludes=): words separated by
// commas and/or whitespace.
std::vector<std::string> split_dnf_list(std::string text);

}  // namespace kuphost::sandbox::sim
