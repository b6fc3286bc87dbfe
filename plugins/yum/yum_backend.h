//===- yum/yum_backend.h - kuphost.package-manager/1 on dnf, yum and rpm --===//
#ifndef KUPHOST_PLUGINS_YUM_YUM_BACKEND_H
#define KUPHOST_PLUGINS_YUM_YUM_BACKEND_H

#include <kuphost/kuphost.hpp>

#include "support/package_manager_provider.hpp"
#include "support/repository_file.hpp"
#include "yum_repo_section.h"

namespace kuphost_plugins::yum {

inline constexpr const char *kRepositoryFile = "/etc/yum.repos.d/kubernetes.repo";

// How this node's package manager is driven.
struct YumTool {
  std::string manager;  // "dnf" or "yum"
  bool dnf5 = false;    // spells "ignore the excludes" as a --setopt

  static YumTool detect(const kup::Host &host);
  // The commands that refresh the index after the repository file changed.
  std::vector<std::vector<std::string>> refresh_commands() const;
};

class YumBackend final : public PackageBackend {
 public:
  YumBackend(const kup::Host &host, YumTool tool, const RepositoryFile &repository)
      : host_(host), tool_(std::move(tool)), repository_(repository) {}

  std::vector<std::string> available_versions(const std::string &package) override;
  std::optional<std::string> installed_version(const std::string &package) override;
  void install(const std::vector<PackagePin> &pins) override;
  void hold(const std::vector<std::string> &packages) override;
  void unhold(const std::vector<std::string> &packages) override;
  void switch_repository(const std::string &minor) override { repository_.switch_to(minor); }
  // The option that lifts the exclude= of the node's pkgs.k8s.io section for
  // one command (see exclusion_bypass()), from the .repo file as it is now;
  // empty when the file is missing or the exclude= is commented out.
  std::vector<std::string> exclusion_bypass_argv() const;
  // `dnf --repofrompath=kuphost-v1.31,URL --repo=kuphost-v1.31 ... list
  // --showduplicates`: an ad-hoc repository for the minor, its URL derived
  // from the node's baseurl; the node's .repo file stays as it is, and the
  // metadata goes into the scratch directory instead of dnf's cache.
  std::vector<std::string> available_versions_in_minor(const std::string &package,
                                                       const std::string &minor) override;

 private:
  kup::Host host_;
  YumTool tool_;
  const RepositoryFile &repository_;
};

// `dnf|yum list --showduplicates` output -> the versions of `package`,
// newest first, unique. Copes with dnf wrapping a long name.arch onto its
// own line.
std::vector<std::string> parse_list(const std::string &output, const std::string &package);

// The first active baseurl= of `repo_text` that is a pkgs.k8s.io core URL,
// with its minor replaced by `minor` ("v1.31"). Throws
// KUP_E_PREREQUISITE_MISSING, naming `path`, when there is none.
std::string minor_baseurl(const std::string &repo_text, const std::string &path, const std::string &minor);

// dnf's command line for the versions of `package` in `minor`'s repository
// at `baseurl`, with metadata cached under `cache_dir`.
std::vector<std::string> list_in_minor_argv(const YumTool &tool, const std::string &package,
                                            const std::string &minor, const std::string &baseurl,
                                            const std::string &cache_dir);

}  // namespace kuphost_plugins::yum

#endif  // KUPHOST_PLUGINS_YUM_YUM_BACKEND_H
