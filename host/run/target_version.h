// The VERSION argument of plan and apply: an exact version ("v1.31.2",
// "1.31.2"), the newest patch of a minor ("1.31"), of the current minor
// ("latest-patch") or of the next one ("next-minor"). The host resolves the
// last three to one exact version before the run is composed, from what the
// node's package manager offers (kuphost.package-manager/1), so that plan,
// apply, the journal and every phase see the same vX.Y.Z.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/version.h"

namespace kuphost {

class PluginRuntime;
struct RunEnv;

struct TargetSpec {
  enum class Kind { kExact, kMinor, kLatestPatch, kNextMinor };
  Kind kind = Kind::kExact;
  Version exact;             // kExact
  int major = 0, minor = 0;  // kMinor
  std::string text;          // as the operator wrote it

  bool needs_resolution() const { return kind != Kind::kExact; }
};

// nullopt + *error, one line that names the accepted forms, for anything else.
std::optional<TargetSpec> parse_target_spec(std::string_view text, std::string *error);

// Which pre-releases a resolved target may be, as kubeadm's
// --allow-experimental-upgrades (alpha, beta, rc) and
// --allow-release-candidate-upgrades (rc only). Exact versions are not gated.
struct PreReleasePolicy {
  bool experimental = false;
  bool release_candidates = false;

  bool allows(const Version &v) const;
};

// The Kubernetes version a package version ships: "1.31.2-1.1" -> v1.31.2,
// "1:1.32.0~rc.1-150500.1.1" -> v1.32.0-rc.1; nullopt for anything else.
std::optional<Version> version_of_package(std::string_view package_version);

// The newest version of major.minor among `package_versions` that `policy`
// allows; nullopt when there is none.
std::optional<Version> newest_in_minor(const std::vector<std::string> &package_versions, int major, int minor,
                                       const PreReleasePolicy &policy);

// Where the versions come from. An interface so that selection is testable
// without plugins; the real one asks the package-manager extension.
class PackageVersionSource {
 public:
  virtual ~PackageVersionSource() = default;
  // "apt", "dnf", "yum": for messages.
  virtual std::string manager() const = 0;
  // Versions of `package` in the node's configured repositories.
  virtual std::vector<std::string> configured_versions(const std::string &package) = 0;
  // Versions in another minor's repository ("v1.31"); nullopt when the
  // provider cannot list other minors.
  virtual std::optional<std::vector<std::string>> versions_in_minor(const std::string &package,
                                                                    const std::string &minor) = 0;
};

struct ResolvedTarget {
  Version version;
  std::string why;  // "newest patch of v1.31, from apt"
};

// Resolves a spec that needs it. `current` is the node's cluster version
// (control plane on control planes, kubelet on workers), needed by
// latest-patch and next-minor. Throws Failure(kInvalidInput) with one line
// saying what to do when nothing fits.
ResolvedTarget resolve_target(const TargetSpec &spec, const std::optional<Version> &current,
                              PackageVersionSource &source, const PreReleasePolicy &policy);

// resolve_target for a run: the current version from the node's facts, the
// versions from the package-manager extension of the initialized plugins.
// Lets the provider use a scratch directory under the node's
// /var/lib/kuphost/tmp for the call and removes it afterwards, so plan and
// dry-run leave the node as it was. Prints kubeadm's
// "[upgrade/versions] Target version: ..." line and returns "vX.Y.Z".
std::string resolve_target_for_run(const TargetSpec &spec, RunEnv &env, PluginRuntime &runtime);

}  // namespace kuphost
