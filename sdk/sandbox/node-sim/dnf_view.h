// What dnf sees on a RHEL-family node: the installed packages (node.yaml)
// and the packages of every enabled repository in /etc/yum.repos.d, minus
// what an active exclude= hides. dnf keys its metadata cache by the
// repository's baseurl, so a switched baseurl is fetched on the next command
// (no makecache needed, unlike apt's update).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dnf_options.h"
#include "invocation.h"
#include "node_state.h"
#include "package_catalog.h"
#include "package_universe.h"

namespace kuphost::sandbox::sim {

struct DnfView {
  detail::NodeState node;
  detail::PackageUniverse universe;
  PackageFormat format;
  std::vector<AvailablePackage> available;  // origin: the repository id
  std::vector<AvailablePackage> excluded;   // hidden by an active exclude=
  // Installed packages an active exclude hides too. RHEL's dnf answers
  // `list kubeadm` with "No matching Packages" while the kubernetes repo
  // excludes it (test-recipes.md §2), installed or not.
  std::set<std::string> hidden_installed;
  std::string installed_from = "System";  // the repository `list` shows installed packages from (@kubernetes)

  std::string full(const std::string &upstream) const { return format.full(upstream); }
  // "kubeadm-1.31.2-150500.1.1.x86_64"
  std::string nevra(const std::string &name, const std::string &upstream) const {
    return name + "-" + full(upstream) + "." + format.arch;
  }
};

// dnf's metadata step before any command that needs repositories: fetches
// (or reuses the cached) metadata of each enabled repository and prints the
// download line or "Last metadata expiration check: ...". A repository that
// fails (404, unreachable) ends the command as dnf does with
// skip_if_unavailable=False: nullopt after printing dnf's error.
std::optional<DnfView> load_dnf_view(Invocation &inv, const DnfOptions &opts);

// dnf's package-spec matching: NAME, NAME.ARCH, NAME-VERSION,
// NAME-VERSION-RELEASE[.ARCH], each possibly a glob ("kubeadm-1.31.2-*").
bool dnf_spec_matches(const std::string &spec, const std::string &name, const std::string &upstream,
                      const PackageFormat &format);

}  // namespace kuphost::sandbox::sim
