// cni-calico: upgrades Calico on the first control plane right after
// `kubeadm upgrade apply`, where the kubeadm docs place the CNI step
// (calico.md §1), after a preflight that refuses a Calico release untested
// with the target Kubernetes minor before anything in the run changes.
#include <kuphost/kuphost.hpp>

#include "calico_install.h"
#include "calico_settings.h"
#include "calico_staging.h"
#include "calico_upgrade.h"
#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {

class CalicoPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Calico CNI upgrade after the control plane";
    kup::PhaseSpec preflight;
    preflight.id = "preflight";
    preflight.title = "Check the Calico release against the target";
    preflight.description =
        "Each Calico release is tested with a few Kubernetes minors only; an untested pair is refused before the "
        "run changes anything.";
    preflight.stage = KUP_STAGE_PREFLIGHT;
    preflight.order = 20;  // after kubeadm's preflight, which may refuse the whole run
    preflight.distro_families = KUP_DISTRO_LINUX;
    preflight.roles = KUP_ROLE_FIRST_CONTROL_PLANE;
    preflight.flags = KUP_PHASE_READ_ONLY;
    preflight.plan = kup::phase<&CalicoPlugin::plan_check>();
    preflight.apply = kup::phase<&CalicoPlugin::apply_check>();

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
    upgrade.rollback = kup::phase<&CalicoPlugin::rollback_upgrade>();
    info.phases = {preflight, upgrade};
    info.config_keys = {
        {"version", KUP_CONFIG_STRING, "", "The Calico release to upgrade to, e.g. v3.30.3; unset: no upgrade."},
        {"manifests-url", KUP_CONFIG_STRING, kDefaultManifestsUrl,
         "Base URL of the release's manifests directory; {version} is replaced by the version."},
        {"bundle", KUP_CONFIG_STRING, "",
         "Node path of the release bundle (release-vX.Y.Z.tgz), for nodes without internet access."},
        {"bundle-sha256", KUP_CONFIG_STRING, "", "Expected SHA-256 of the bundle, checked before it is unpacked."},
        {"manifest", KUP_CONFIG_STRING, "",
         "Manifest installs: node path of an edited calico.yaml (your CALICO_IPV4POOL_CIDR, say) to apply instead "
         "of the release's."},
        {"rollout-timeout", KUP_CONFIG_DURATION, "10m", "How long Calico may take to settle after the apply."},
        {"tested-kubernetes", KUP_CONFIG_STRING, "",
         "Extra or replaced rows of the tested-versions table, e.g. 3.33=1.35-1.37,3.34=1.36-1.38."},
    };
  }

  explicit CalicoPlugin(kup::Host host) : host_(host), settings_(CalicoSettings::read(host)) {}

  // Read-only, in plan and apply alike: a refused pair fails both.
  void plan_check(const kup::Call &call) { check(call, true); }
  void apply_check(const kup::Call &call) { check(call, false); }

  void plan_upgrade(const kup::Call &call) {
    const auto install = detect(true);
    for (const auto &step : describe_upgrade(host_, settings_, *install, KubeVersion::parse(call.target_version())))
      call.out(step);
  }

  void apply_upgrade(const kup::Call &call) {
    const auto install = detect(false);
    if (!install) return call.unchanged(kNoCalico);
    const auto target = KubeVersion::parse(call.target_version());
    if (call.dry_run()) {
      for (const auto &step : describe_upgrade(host_, settings_, *install, target)) call.out(step);
      check_bundle(host_, settings_);
      return call.unchanged("dry run: nothing changed");
    }
    const UpgradeOutcome outcome = run_upgrade(
        host_, settings_, *install, target, [&](const std::string &line) { call.out(line); }, backup_set());
    if (outcome.changed) call.changed(outcome.summary);
    else call.unchanged(outcome.summary);
  }

  void rollback_upgrade(const kup::Call &call) {
    const std::string summary =
        roll_back_upgrade(host_, settings_, [&](const std::string &l) { call.out(l); }, backup_set());
    if (summary.empty()) call.unchanged("nothing to roll back: this run applied no Calico manifests");
    else call.changed(summary);
  }

 private:
  // etcd-backup's kuphost.backup-set/1 when it runs in this apply (NULL otherwise).
  const kup_backup_set *backup_set() const { return host_.extension<kup_backup_set>(KUP_EXT_BACKUP_SET_V1); }

  void check(const kup::Call &call, bool planning) {
    const auto install = detect(planning);
    if (!install) return call.unchanged(kNoCalico);
    const auto target = KubeVersion::parse(call.target_version());
    for (const auto &note : check_compatibility(settings_, *install, target)) {
      if (!call.dry_run()) host_.warn("cni-calico: " + note.substr(note.find(' ') + 1));
      call.out(note);
    }
    check_bundle(host_, settings_);
    if (!settings_.version) return call.unchanged("Calico " + install->version + " stays; no cni-calico.version");
    call.out("Calico " + settings_.version->str() + " is tested with " +
             (target ? target->minor_str() : std::string("the target")) +
             (settings_.bundle.empty() ? "" : "; " + settings_.bundle + " matches cni-calico.bundle-sha256"));
    call.unchanged("Calico " + settings_.version->str() + " fits " + std::string(call.target_version()));
  }

  // In plan, no Calico (or no answer) leaves the phase out with the reason;
  // in apply, not knowing is a failure and no Calico is nothing to do.
  std::optional<CalicoInstall> detect(bool planning) const {
    std::optional<CalicoInstall> install;
    try {
      install = detect_calico(host_);
    } catch (const kup::Error &e) {
      if (planning) throw;
      throw kup::Error(KUP_E_PREREQUISITE_MISSING, e.what(), e.details());
    }
    if (!install && planning) throw kup::Error(KUP_E_NOT_APPLICABLE, kNoCalico);
    return install;
  }

  kup::Host host_;
  CalicoSettings settings_;
};

}  // namespace kuphost_plugins::cni_calico

KUPHOST_PLUGIN(kuphost_plugins::cni_calico::CalicoPlugin, "cni-calico", KUPHOST_PLUGINS_RELEASE)
