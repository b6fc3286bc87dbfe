// cni-calico: upgrades Calico on the first control plane right after
// `kubeadm upgrade apply`, where the kubeadm docs place the CNI step
// (calico.md §1). Detection and the plan are real; applying them is the
// "cni-calico" issue.
#include <kuphost/kuphost.hpp>

#include "calico_install.h"
#include "support/not_implemented.hpp"
#include "support/settings.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {

class CalicoPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Calico CNI upgrade after the control plane";
    kup::PhaseSpec upgrade;
    upgrade.id = "upgrade";
    upgrade.title = "Upgrade Calico";
    upgrade.description =
        "kubeadm never upgrades the CNI, and each Calico release is tested with a few "
        "Kubernetes minors only.";
    upgrade.stage = KUP_STAGE_ADDONS_CNI;
    upgrade.distro_families = KUP_DISTRO_LINUX;
    upgrade.roles = KUP_ROLE_FIRST_CONTROL_PLANE;
    upgrade.plan = kup::phase<&CalicoPlugin::plan_upgrade>();
    upgrade.apply = kup::phase<&CalicoPlugin::apply_upgrade>();
    info.phases = {upgrade};
    info.config_keys = {
        {"version", KUP_CONFIG_STRING, "", "The Calico release to upgrade to, e.g. v3.30.3."},
        {"manifest-url", KUP_CONFIG_STRING, "",
         "Manifest to apply instead of the release's calico.yaml (manifest installs) or tigera-operator.yaml "
         "(operator installs)."},
        {"bundle", KUP_CONFIG_STRING, "",
         "Local archive of the release's manifests, for nodes without internet access."},
        {"bundle-sha256", KUP_CONFIG_STRING, "", "Expected SHA-256 of the bundle."},
        {"rollout-timeout", KUP_CONFIG_DURATION, "10m", "How long to wait for Calico to become ready again."},
    };
  }

  explicit CalicoPlugin(kup::Host host) : host_(host) {
    const Settings config(host_, "cni-calico");
    if (const std::string version = config.text("version"); !version.empty()) {
      version_ = KubeVersion::parse(version);
      if (!version_ || !version_->pre.empty())
        throw kup::Error(KUP_E_INVALID_CONFIG, "cni-calico.version is '" + version +
                                                   "'; it must be a Calico release such as v3.30.3");
    }
    manifest_url_ = config.text("manifest-url");
    bundle_ = config.text("bundle");
    bundle_sha256_ = config.text("bundle-sha256");
    if (!bundle_.empty() && bundle_sha256_.empty())
      throw kup::Error(
          KUP_E_INVALID_CONFIG,
          "cni-calico.bundle is set without cni-calico.bundle-sha256; kuphost applies no unchecked bundle");
    rollout_timeout_ms_ = config.duration_ms("rollout-timeout", "10m");
  }

  void plan_upgrade(const kup::Call &call) {
    const auto install = detect_calico(host_);
    if (!install) throw kup::Error(KUP_E_NOT_APPLICABLE, kNoCalico);
    for (const auto &step : steps(call, *install)) call.out(step);
  }

  void apply_upgrade(const kup::Call &call) {
    std::optional<CalicoInstall> install;
    try {
      install = detect_calico(host_);
    } catch (const kup::Error &e) {  // in apply, not knowing is a failure, not a reason to skip
      throw kup::Error(KUP_E_PREREQUISITE_MISSING, e.what(), e.details());
    }
    if (!install) {
      call.unchanged(kNoCalico);
      return;
    }
    if (version_ && install->version == version_->str()) {
      call.unchanged("Calico already at " + version_->str());
      return;
    }
    echo_steps_or_refuse(call, "cni-calico", steps(call, *install));
  }

 private:
  static constexpr const char *kNoCalico =
      "no Calico found: no Installation resource and no kube-system/calico-node DaemonSet";

  std::string version_text() const { return version_ ? version_->str() : "vX.Y.Z"; }
  // Where an offline bundle is unpacked on the node.
  std::string bundle_dir() const { return "/var/lib/kuphost/calico-" + version_text(); }
  // Where the release's manifests come from: the bundle, or the release on GitHub.
  std::string manifests_base() const {
    if (!bundle_.empty()) return bundle_dir() + "/manifests";
    return "https://raw.githubusercontent.com/projectcalico/calico/" + version_text() + "/manifests";
  }

  static std::string apply_file(const std::string &file) {
    return command_line(kubectl({"apply", "--server-side", "--force-conflicts", "-f", file}));
  }

  // A note when `calico` is not tested with the target minor.
  static std::optional<std::string> untested(const std::string &which, const std::string &calico,
                                             const std::optional<KubeVersion> &target) {
    const auto version = KubeVersion::parse(calico);
    if (!version || !target) return std::nullopt;
    const auto range = tested_kubernetes_minors(*version);
    if (!range || (target->minor >= range->first && target->minor <= range->second)) return std::nullopt;
    return "note: " + which + " Calico " + calico + " is tested with Kubernetes v1." +
           std::to_string(range->first) + " to v1." + std::to_string(range->second) + ", not " +
           target->minor_str();
  }

  std::vector<std::string> steps(const kup::Call &call, const CalicoInstall &install) const {
    const bool by_operator = install.method == CalicoInstall::Method::kOperator;
    const auto target = KubeVersion::parse(call.target_version());
    const std::string current = install.version.empty() ? "unknown version" : install.version;
    std::vector<std::string> steps;
    steps.push_back(std::string("found Calico ") + current +
                    (by_operator ? " managed by the Tigera operator" : " installed from a manifest"));
    if (auto note = untested("installed", install.version, target)) steps.push_back(*note);
    if (!version_) {
      steps.push_back(
          "set cni-calico.version to the Calico release to upgrade to; the steps below show vX.Y.Z");
    } else {
      if (install.version == version_->str())
        steps.push_back("already at " + version_->str() + ": nothing to do");
      if (auto note = untested("target", version_->str(), target)) steps.push_back(*note);
    }
    if (version_ && install.version == version_->str()) return steps;
    if (!bundle_.empty())
      steps.push_back("check that the SHA-256 of " + bundle_ + " is " + bundle_sha256_ +
                      ", then unpack it into " + bundle_dir());
    const std::string base = manifests_base();
    const std::string timeout = "--timeout=" + go_duration(rollout_timeout_ms_);
    if (by_operator) {
      // From 3.30 the operator's CRDs are applied first, from their own file.
      if (version_ && version_->minor >= 32)
        steps.push_back(apply_file(base + "/v1_crd_projectcalico_org.yaml"));
      else if (version_ && version_->minor >= 30)
        steps.push_back(apply_file(base + "/operator-crds.yaml"));
      steps.push_back(apply_file(manifest_url_.empty() ? base + "/tigera-operator.yaml" : manifest_url_));
      steps.push_back(
          command_line(kubectl({"wait", "--for=condition=Available", "tigerastatus/calico", timeout})));
    } else {
      steps.push_back(
          "carry your local edits of the installed manifest (e.g. CALICO_IPV4POOL_CIDR) into the new one");
      steps.push_back(apply_file(manifest_url_.empty() ? base + "/calico.yaml" : manifest_url_));
      steps.push_back(command_line(
          kubectl({"-n", "kube-system", "rollout", "status", "daemonset/calico-node", timeout})));
    }
    return steps;
  }

  kup::Host host_;
  std::optional<KubeVersion> version_;
  std::string manifest_url_, bundle_, bundle_sha256_;
  uint64_t rollout_timeout_ms_ = 0;
};

}  // namespace kuphost_plugins::cni_calico

KUPHOST_PLUGIN(kuphost_plugins::cni_calico::CalicoPlugin, "cni-calico", KUPHOST_PLUGINS_RELEASE)
