#include "version_policy.h"

#include <set>

namespace kuphost::sandbox::sim {
namespace {

constexpr int kMaxUpgradeSkew = 1, kMaxDowngradeSkew = 1, kMaxKubeletSkew = 1;

}  // namespace

VersionSkewErrors enforce_version_policies(const VersionPolicyInput &in) {
  VersionSkewErrors e;
  const std::string &target = in.target_text;
  const bool pre_release = !in.target.pre_release.empty();
  auto add = [&](bool skippable, std::string message) {
    (skippable ? e.skippable : e.mandatory).push_back(std::move(message));
  };

  const detail::KubeVersion minimum{in.kubeadm.major, in.kubeadm.minor - 1, 0, {}};
  if (in.target < minimum)
    add(false, "Specified version to upgrade to \"" + target +
                   "\" is equal to or lower than the minimum supported version \"" + minimum.str() +
                   "\". Please specify a higher version to upgrade to");
  if (in.target.minor > in.cluster.minor + kMaxUpgradeSkew)
    add(pre_release, "Specified version to upgrade to \"" + target + "\" is too high; kubeadm can upgrade only " +
                         std::to_string(kMaxUpgradeSkew) + " minor version at a time");
  if (in.target.minor < in.cluster.minor - kMaxDowngradeSkew)
    add(pre_release, "Specified version to downgrade to \"" + target + "\" is too low; kubeadm can downgrade only " +
                         std::to_string(kMaxDowngradeSkew) + " minor version at a time");
  if (in.kubeadm < in.target) {
    if (in.target.minor > in.kubeadm.minor)
      add(pre_release, "Specified version to upgrade to \"" + target +
                           "\" is at least one minor release higher than the kubeadm minor release (" +
                           std::to_string(in.target.minor) + " > " + std::to_string(in.kubeadm.minor) +
                           "). Such an upgrade is not supported");
    else
      add(true, "Specified version to upgrade to \"" + target + "\" is higher than the kubeadm version \"" +
                    in.kubeadm.str() + "\". Upgrade kubeadm first using the tool you used to install kubeadm");
  }
  if (in.kubeadm.major > in.target.major || in.kubeadm.minor > in.target.minor)
    add(true, "Kubeadm version " + in.kubeadm.str() + " can only be used to upgrade to Kubernetes version " +
                  std::to_string(in.kubeadm.major) + "." + std::to_string(in.kubeadm.minor));
  if (pre_release && !in.allow_experimental && !(in.allow_rc && in.target.pre_release.rfind("rc", 0) == 0))
    add(true, "Specified version to upgrade to \"" + target +
                  "\" is an unstable version and such upgrades weren't allowed via setting the "
                  "--allow-*-upgrades flags");

  std::set<std::string> too_old;
  for (const auto &v : in.kubelet_versions) {
    const auto kubelet = detail::KubeVersion::parse(v);
    if (kubelet && in.target.minor > kubelet->minor + kMaxKubeletSkew) too_old.insert(v);
  }
  if (!too_old.empty()) {
    std::string list;
    for (const auto &v : too_old) list += (list.empty() ? "" : " ") + v;
    add(true, "There are kubelets in this cluster that are too old that have these versions [" + list + "]");
  }
  return e;
}

std::string format_error_list(const std::vector<std::string> &errors) {
  std::string out;
  for (const auto &e : errors) out += "\t- " + e + "\n";
  return out;
}

}  // namespace kuphost::sandbox::sim
