// The version-skew rules; the table in skew_policy.h says where each comes
// from and what may override it.
#include "skew_policy.h"

#include <map>

namespace kuphost_plugins::kubeadm {
namespace {

// kubeadm's policy.go: MaximumAllowedMinorVersionUpgradeSkew,
// ...DowngradeSkew and ...KubeletSkew are all 1.
constexpr int kMaxUpgradeSkew = 1;
constexpr int kMaxDowngradeSkew = 1;
constexpr int kKubeadmMaxKubeletSkew = 1;
// The version-skew policy: kubelets up to 3 minors older than the API
// server, 2 for kubelets below v1.25.
constexpr int kPolicyMaxKubeletSkew = 3;
constexpr int kPolicyMaxKubeletSkewBefore125 = 2;

std::string role_text(NodeRole role) {
  return role == NodeRole::kWorker ? "kubelet" : "control plane";
}

KubeVersion minor_of(const KubeVersion &v, int minor) { return KubeVersion{v.major, minor, 0, ""}; }

}  // namespace

const std::vector<std::string_view> &skew_rule_names() {
  static const std::vector<std::string_view> names{kRuleMajorVersion,    kRuleSkippedMinor, kRuleMinorDowngrade,
                                                   kRulePreRelease,      kRuleKubeadmVersion, kRuleKubeletSkew,
                                                   kRuleControlPlaneFirst};
  return names;
}

std::string upgrade_chain(const KubeVersion &from, const KubeVersion &to) {
  std::string chain;
  for (int minor = from.minor + 1; minor <= to.minor; ++minor) {
    if (!chain.empty()) chain += ", then ";
    chain += minor == to.minor ? to.str() : minor_of(from, minor).minor_line();
  }
  return chain;
}

std::optional<KubeVersion> current_version(const SkewInput &in) {
  switch (in.role) {
    case NodeRole::kFirstControlPlane: return in.api_server ? in.api_server : in.this_control_plane;
    case NodeRole::kOtherControlPlane: return in.this_control_plane;
    case NodeRole::kWorker: return in.this_kubelet;
  }
  return std::nullopt;
}

std::vector<SkewFinding> check_skew(const SkewInput &in) {
  std::vector<SkewFinding> out;
  const KubeVersion &target = in.target;
  const bool pre = target.is_prerelease();
  // kubeadm makes its fatal minor-skew errors skippable for pre-release targets.
  const Override fatal_unless_pre = pre ? Override::kForce : Override::kNever;
  auto add = [&](std::string_view rule, std::string message, Override o) {
    out.push_back({std::string(rule), std::move(message), o});
  };

  const auto current = current_version(in);
  if (current && current->major != target.major) {
    add(kRuleMajorVersion,
        "cannot go from " + current->str() + " to " + target.str() + ": kuphost upgrades within Kubernetes major " +
            std::to_string(current->major) + " only; choose a v" + std::to_string(current->major) + ".x target",
        Override::kNever);
    return out;  // every minor rule below would only repeat this
  }
  const std::string what = role_text(in.role);
  if (current && target.minors_after(*current) > kMaxUpgradeSkew)
    add(kRuleSkippedMinor,
        "cannot upgrade the " + what + " of " + in.node + " from " + current->str() + " to " + target.str() +
            ": Kubernetes upgrades one minor version at a time; upgrade to " +
            minor_of(*current, current->minor + 1).minor_line() + " first (the path is " +
            upgrade_chain(*current, target) + ")",
        fatal_unless_pre);
  if (current && current->minors_after(target) > kMaxDowngradeSkew)
    add(kRuleMinorDowngrade,
        "cannot downgrade the " + what + " of " + in.node + " from " + current->str() + " to " + target.str() +
            ": kubeadm downgrades at most one minor version; choose a target no older than " +
            minor_of(*current, current->minor - 1).minor_line(),
        fatal_unless_pre);
  else if (current && current->minors_after(target) == kMaxDowngradeSkew)
    add(kRuleMinorDowngrade,
        "downgrading the " + what + " of " + in.node + " from " + current->str() + " to " + target.str() +
            " crosses a minor version, which kubeadm refuses without --force (only patch downgrades within " +
            current->minor_str() + " are allowed); pass --force if you mean it",
        Override::kForce);

  if (pre && !in.allow_experimental && !(in.allow_release_candidate && target.is_release_candidate()))
    add(kRulePreRelease,
        target.str() + " is a pre-release; pass " +
            (target.is_release_candidate() ? "--allow-release-candidate-upgrades (or --allow-experimental-upgrades)"
                                           : "--allow-experimental-upgrades") +
            " to upgrade to it",
        Override::kForce);

  if (in.kubeadm && in.kubeadm->major == target.major) {
    const KubeVersion &kubeadm = *in.kubeadm;
    if (target.minors_after(kubeadm) > 1)
      add(kRuleKubeadmVersion,
          "the installed kubeadm " + kubeadm.str() + " last managed this node; kubeadm moves one minor version per "
              "upgrade, so " + target.str() + " is out of reach: upgrade to " +
              minor_of(kubeadm, kubeadm.minor + 1).minor_line() + " first",
          fatal_unless_pre);
    else if (kubeadm.minors_after(target) > 0)
      add(kRuleKubeadmVersion,
          "the installed kubeadm " + kubeadm.str() + " can only be used to upgrade to Kubernetes " +
              kubeadm.minor_line() + "; choose a " + kubeadm.minor_line() + " target, or pass --force",
          Override::kForce);
  }

  // After the control plane moves, every kubelet must still be within the
  // skew of the new API server. The first control plane runs `kubeadm
  // upgrade apply`, which allows only one minor; elsewhere the policy's 3.
  if (in.nodes && in.role != NodeRole::kWorker) {
    std::map<std::string, std::string> too_old, too_new;  // version -> nodes
    for (const auto &n : *in.nodes) {
      if (!n.kubelet || n.kubelet->major != target.major) continue;
      const int behind = target.minors_after(*n.kubelet);
      const int allowed = in.role == NodeRole::kFirstControlPlane ? kKubeadmMaxKubeletSkew
                          : n.kubelet->minor < 25                 ? kPolicyMaxKubeletSkewBefore125
                                                                  : kPolicyMaxKubeletSkew;
      if (behind <= allowed && behind >= 0) continue;
      std::string &names = (behind > allowed ? too_old : too_new)[n.kubelet->str()];
      names += (names.empty() ? "" : ", ") + n.name;
    }
    auto list = [](const std::map<std::string, std::string> &m) {
      std::string s;
      for (const auto &[version, names] : m) s += (s.empty() ? "" : "; ") + version + " on " + names;
      return s;
    };
    if (!too_old.empty())
      add(kRuleKubeletSkew,
          "kubelets too old for a " + target.str() + " control plane (" + list(too_old) + "); " +
              (in.role == NodeRole::kFirstControlPlane
                   ? "kubeadm upgrade apply allows kubelets one minor older than the target"
                   : "the skew policy allows 3 minors (2 below v1.25)") +
              ": upgrade those nodes to " + minor_of(target, target.minor - 1).minor_line() + " first, or pass --force",
          Override::kForce);
    if (!too_new.empty())
      add(kRuleKubeletSkew,
          "kubelets newer than a " + target.str() + " control plane (" + list(too_new) +
              "): a kubelet may never be newer than the API server; choose a target no older than theirs",
          Override::kForce);
  }

  // Control plane before workers: a kubelet may not pass the API server.
  if (in.role != NodeRole::kFirstControlPlane && in.api_server && in.api_server->major == target.major &&
      target.minors_after(*in.api_server) > 0)
    add(kRuleControlPlaneFirst,
        "the API server is at " + in.api_server->str() + ", older than the target " + target.str() + "; upgrade "
            "the control plane first: `kuphost apply " + target.str() + "` on the first control-plane node, then on "
            "the other control planes, then on the workers",
        Override::kIgnoreByNameOnly);
  return out;
}

}  // namespace kuphost_plugins::kubeadm
