// The kubeadm plugin's descriptor and settings; the phase bodies live in
// one file per part of the workflow.
#include "kubeadm_plugin.h"

#include <kuphost/ext/package_manager.h>

#include "support/settings.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

kup::PhaseSpec spec(std::string id, std::string title, std::string description, kup_stage stage) {
  kup::PhaseSpec p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.description = std::move(description);
  p.stage = stage;
  return p;
}

}  // namespace

void KubeadmPlugin::describe(kup::PluginInfo &info) {
  using P = KubeadmPlugin;
  info.description = "The kubeadm upgrade workflow";
  info.extensions = {KUP_EXT_UPGRADE_SLOT_V1};

  auto preflight =
      spec("preflight", "Preflight checks",
           "Stops before any change when kubeadm, admin.conf or the version skew rule out the upgrade.",
           KUP_STAGE_PREFLIGHT);
  preflight.flags = KUP_PHASE_READ_ONLY;
  preflight.plan = kup::phase<&P::plan_preflight>();
  preflight.apply = kup::phase<&P::apply_preflight>();

  auto kubeadm_package = spec("kubeadm-package", "Upgrade the kubeadm package",
                              "kubeadm must be at the target version before it can upgrade the node.",
                              KUP_STAGE_KUBEADM_PACKAGE);
  kubeadm_package.distro_families = KUP_DISTRO_LINUX;
  kubeadm_package.requires_extension = KUP_EXT_PACKAGE_MANAGER_V1;
  kubeadm_package.plan = kup::phase<&P::plan_kubeadm_package>();
  kubeadm_package.apply = kup::phase<&P::apply_kubeadm_package>();
  kubeadm_package.rollback = kup::phase<&P::rollback_kubeadm_package>();
  kubeadm_package.verify = kup::phase<&P::verify_kubeadm_package>();

  auto upgrade_apply = spec("upgrade-apply", "kubeadm upgrade apply",
                            "Upgrades the cluster's control plane from the first control-plane node.",
                            KUP_STAGE_CONTROL_PLANE);
  upgrade_apply.distro_families = KUP_DISTRO_LINUX;
  upgrade_apply.roles = KUP_ROLE_FIRST_CONTROL_PLANE;
  upgrade_apply.plan = kup::phase<&P::plan_upgrade_apply>();
  upgrade_apply.apply = kup::phase<&P::apply_upgrade_apply>();

  auto upgrade_node =
      spec("upgrade-node", "kubeadm upgrade node",
           "Upgrades this node's static pods and kubelet configuration to the cluster's new version.",
           KUP_STAGE_CONTROL_PLANE);
  upgrade_node.distro_families = KUP_DISTRO_LINUX;
  upgrade_node.roles = KUP_ROLE_OTHER_CONTROL_PLANE | KUP_ROLE_WORKER;
  upgrade_node.plan = kup::phase<&P::plan_upgrade_node>();
  upgrade_node.apply = kup::phase<&P::apply_upgrade_node>();

  auto drain = spec("drain", "Drain the node", "Moves workloads off the node before its kubelet is replaced.",
                    KUP_STAGE_DRAIN);
  drain.distro_families = KUP_DISTRO_LINUX;
  drain.plan = kup::phase<&P::plan_drain>();
  drain.apply = kup::phase<&P::apply_drain>();
  drain.rollback = kup::phase<&P::rollback_drain>();

  auto node_packages =
      spec("kubelet-kubectl-packages", "Upgrade the kubelet and kubectl packages",
           "Installs the kubelet and kubectl of the target version while the node is drained.",
           KUP_STAGE_NODE_PACKAGES);
  node_packages.distro_families = KUP_DISTRO_LINUX;
  node_packages.requires_extension = KUP_EXT_PACKAGE_MANAGER_V1;
  node_packages.plan = kup::phase<&P::plan_node_packages>();
  node_packages.apply = kup::phase<&P::apply_node_packages>();
  node_packages.rollback = kup::phase<&P::rollback_node_packages>();

  auto kubelet_restart = spec("kubelet-restart", "Restart the kubelet",
                              "The new kubelet binary and configuration take effect only after a restart.",
                              KUP_STAGE_KUBELET_RESTART);
  kubelet_restart.distro_families = KUP_DISTRO_LINUX;
  kubelet_restart.plan = kup::phase<&P::plan_kubelet_restart>();
  kubelet_restart.apply = kup::phase<&P::apply_kubelet_restart>();
  kubelet_restart.verify = kup::phase<&P::verify_kubelet_restart>();

  auto uncordon =
      spec("uncordon", "Uncordon the node",
           "Lets workloads back onto the node, unless the operator had cordoned it before kuphost.",
           KUP_STAGE_UNCORDON);
  uncordon.plan = kup::phase<&P::plan_uncordon>();
  uncordon.apply = kup::phase<&P::apply_uncordon>();

  auto verify =
      spec("verify", "Verify the node",
           "Confirms the node is Ready and its kubelet reports the target version.", KUP_STAGE_VERIFY);
  verify.flags = KUP_PHASE_READ_ONLY;
  verify.plan = kup::phase<&P::plan_verify>();
  verify.apply = kup::phase<&P::apply_verify>();

  info.phases = {preflight,     kubeadm_package, upgrade_apply, upgrade_node, drain,
                 node_packages, kubelet_restart, uncordon,      verify};

  info.config_keys = {
      {"etcd-upgrade", KUP_CONFIG_BOOL, "true",
       "Let kubeadm upgrade the local etcd member (false passes --etcd-upgrade=false)."},
      {"certificate-renewal", KUP_CONFIG_BOOL, "true",
       "Let kubeadm renew the certificates it upgrades (false passes --certificate-renewal=false)."},
      {"patches", KUP_CONFIG_STRING, "",
       "Directory of kubeadm patches passed as --patches to kubeadm upgrade apply and node."},
      {"drain-timeout", KUP_CONFIG_DURATION, "5m", "How long kubectl drain may take before it gives up."},
      {"kubectl", KUP_CONFIG_STRING, "kubectl",
       "The kubectl executable used for drain, uncordon and checks."},
      {"node-ready-timeout", KUP_CONFIG_DURATION, "5m",
       "How long verify waits for the node to be Ready at the target version."},
      {"upgrade-config", KUP_CONFIG_STRING, "",
       "kubeadm config file with upgraded component configs, passed as kubeadm upgrade apply --config when "
       "kubeadm upgrade plan says a manual upgrade is required."},
      {"kubeconfig", KUP_CONFIG_STRING, "",
       "Kubeconfig with rights to drain and to take upgrade slots, for nodes without "
       "/etc/kubernetes/admin.conf (default: the kubelet's kubelet.conf)."},
      {"drain-grace-period", KUP_CONFIG_DURATION, "",
       "Grace period for evicted pods (kubectl drain --grace-period); default: each pod's own."},
      {"upgrade-slots", KUP_CONFIG_INT, "1",
       "How many workers may be drained at once across the cluster (control planes: always one)."},
      {"upgrade-slot-lease", KUP_CONFIG_DURATION, "60s",
       "Lease duration of an upgrade slot: a node that stops renewing loses it after this long."},
      {"upgrade-slot-wait", KUP_CONFIG_DURATION, "1h", "How long drain waits for a free upgrade slot."},
  };
}

KubeadmPlugin::KubeadmPlugin(kup::Host host) : host_(host) {
  const Settings config(host_, "kubeadm");
  settings_.etcd_upgrade = config.flag("etcd-upgrade", true);
  settings_.certificate_renewal = config.flag("certificate-renewal", true);
  settings_.patches = config.text("patches");
  settings_.drain_timeout_ms = config.duration_ms("drain-timeout", "5m");
  settings_.kubectl = config.text("kubectl");
  if (settings_.kubectl.empty()) settings_.kubectl = "kubectl";
  settings_.node_ready_timeout_ms = config.duration_ms("node-ready-timeout", "5m");
  // --kubeconfig on the command line wins over kubeadm.kubeconfig.
  settings_.kubeconfig = host_.fact("run.kubeconfig").value_or(config.text("kubeconfig"));
  settings_.upgrade_config = config.text("upgrade-config");
  if (!settings_.upgrade_config.empty() && host_.stat(settings_.upgrade_config).type != KUP_FILE_REGULAR)
    throw kup::Error(KUP_E_INVALID_CONFIG, "kubeadm.upgrade-config is '" + settings_.upgrade_config +
                                               "', which is not a file on this node");
  const std::string grace = config.text("drain-grace-period");
  if (!grace.empty()) settings_.drain_grace_period_s = static_cast<int64_t>(config.duration_ms("drain-grace-period", "0s") / 1000);
  settings_.slots.worker_slots = static_cast<uint32_t>(config.integer("upgrade-slots", 1));
  if (settings_.slots.worker_slots < 1)
    throw kup::Error(KUP_E_INVALID_CONFIG, "kubeadm.upgrade-slots must be 1 or more");
  settings_.slots.lease_ms = config.duration_ms("upgrade-slot-lease", "60s");
  if (settings_.slots.lease_ms < 1000)
    throw kup::Error(KUP_E_INVALID_CONFIG, "kubeadm.upgrade-slot-lease must be at least 1s");
  settings_.slots.wait_ms = config.duration_ms("upgrade-slot-wait", "1h");
  if (!settings_.patches.empty() && host_.stat(settings_.patches).type != KUP_FILE_DIRECTORY)
    throw kup::Error(KUP_E_INVALID_CONFIG,
                     "kubeadm.patches is '" + settings_.patches + "', which is not a directory on this node");
}

std::string KubeadmPlugin::node_name() const { return host_.fact("node.name").value_or("localhost"); }

bool KubeadmPlugin::is_control_plane() const {
  const std::string role = host_.fact("node.role").value_or("worker");
  return role == "first-control-plane" || role == "other-control-plane";
}

bool KubeadmPlugin::is_windows() const { return host_.fact("os.family").value_or("") == "windows"; }

std::optional<KubeVersion> KubeadmPlugin::fact_version(const char *key) const {
  const auto text = host_.fact(key);
  return text ? KubeVersion::parse(*text) : std::nullopt;
}

KubeVersion KubeadmPlugin::require_target(const kup::Call &call) const {
  const std::string_view text = call.target_version();
  if (text.empty())
    throw kup::Error(KUP_E_INVALID_ARGUMENT, "no target version given; run `kuphost apply vX.Y.Z`");
  const auto target = KubeVersion::parse(text);
  if (!target)
    throw kup::Error(KUP_E_INVALID_ARGUMENT, "invalid target version '" + std::string(text) +
                                                 "': expected vMAJOR.MINOR.PATCH, e.g. v1.31.2");
  return *target;
}

Kubectl KubeadmPlugin::kubectl() const {
  return Kubectl(host_, settings_.kubectl, is_control_plane(), settings_.kubeconfig);
}

const void *KubeadmPlugin::extension(std::string_view id) const {
  return id == KUP_EXT_UPGRADE_SLOT_V1 ? slot_table_.table() : nullptr;
}

UpgradeSlot &KubeadmPlugin::slot() {
  if (!slot_)
    slot_ = std::make_unique<UpgradeSlot>(host_, kubectl(), settings_.slots, node_name(), is_control_plane());
  return *slot_;
}

void KubeadmPlugin::changed(const kup::Call &call, const std::string &done, const std::string &would) {
  call.changed(call.dry_run() ? would : done);
}

}  // namespace kuphost_plugins::kubeadm

KUPHOST_PLUGIN(kuphost_plugins::kubeadm::KubeadmPlugin, "kubeadm", KUPHOST_PLUGINS_RELEASE)
