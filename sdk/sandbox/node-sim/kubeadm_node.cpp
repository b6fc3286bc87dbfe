// kubeadm upgrade node (kubeadm-upgrade.md §3): on a control plane, upgrade
// this node's static Pods to the cluster's version; on a worker, only the
// kubelet configuration.
#include <ostream>

#include "kubeadm.h"
#include "static_pod_upgrade.h"

namespace kuphost::sandbox::sim {

int kubeadm_upgrade_node(Invocation &inv, const std::vector<std::string> &args,
                         const std::optional<detail::KubeVersion> &binary) {
  auto specs = upgrade_common_flags();
  specs.insert(specs.end(), {{"dry-run"}, {"etcd-upgrade"}, {"certificate-renewal"}, {"patches", 0, true},
                             {"skip-phases", 0, true}});
  std::string error;
  const auto flags = parse_flags(args, specs, &error);
  if (!flags) return kubeadm_fail(inv, error);
  if (!flags->positionals.empty())
    return kubeadm_fail(inv, "unknown command \"" + flags->positionals[0] + "\" for \"kubeadm upgrade node\"");
  const auto dry_run = flags->get_bool("dry-run", false, &error);
  const auto etcd_upgrade = flags->get_bool("etcd-upgrade", true, &error);
  const auto renew = flags->get_bool("certificate-renewal", true, &error);
  if (!dry_run || !etcd_upgrade || !renew) return kubeadm_fail(inv, error);

  const bool control_plane = fs::exists(inv.root / "etc/kubernetes/manifests/kube-apiserver.yaml");
  if (!check_kubeconfig(inv, *flags, control_plane ? "/etc/kubernetes/admin.conf" : "/etc/kubernetes/kubelet.conf"))
    return 1;
  const auto ctx = load_upgrade_context(inv, binary);
  if (!ctx) return 1;

  inv.out << "[upgrade] Reading configuration from the cluster...\n"
             "[upgrade] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o "
             "yaml'\n";
  if (!check_config_file(inv, *flags)) return 1;
  inv.out << "[preflight] Running pre-flight checks\n";
  if (ctx->kubeadm < ctx->cluster_version)
    return kubeadm_fail(inv, "error execution phase preflight: the kubeadm version \"" + ctx->kubeadm.str() +
                                 "\" is older than the cluster version \"" + ctx->cluster_version.str() +
                                 "\". Upgrade kubeadm first using the tool you used to install kubeadm");
  if (control_plane) {
    inv.out << "[preflight] Pulling images required for setting up a Kubernetes cluster\n"
               "[preflight] This might take a minute or two, depending on the speed of your internet connection\n"
               "[preflight] You can also perform this action in beforehand using 'kubeadm config images pull'\n"
               "[upgrade] Upgrading your Static Pod-hosted control plane instance to version \""
            << ctx->cluster_version.str() << "\"...\n";
    StaticPodUpgradeOptions upgrade{ctx->cluster_version, *dry_run, *etcd_upgrade, *renew, flags->get("patches")};
    if (const auto failure = upgrade_static_pods(inv, *ctx, upgrade))
      return kubeadm_fail(inv, "error execution phase control-plane: couldn't complete the static pod upgrade: " +
                                   *failure);
    inv.out << "[upgrade] The control plane instance for this node was successfully updated!\n";
  } else {
    inv.out << "[preflight] Skipping prepull. Not a control plane node.\n"
               "[upgrade] Skipping phase. Not a control plane node.\n";
  }
  kubelet_config_phase(inv, *dry_run);
  if (control_plane) {
    addon_phase(inv, ctx->cluster_version, *dry_run);
  } else {
    inv.out << "[upgrade/addon] Skipping the addon/coredns phase. Not a control plane node.\n"
               "[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node.\n";
  }
  if (*dry_run) {
    inv.out << "[dryrun] Finished dryrunning successfully!\n";
    return 0;
  }
  inv.out << "[upgrade] The configuration for this node was successfully updated!\n"
             "[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.\n";
  return 0;
}

}  // namespace kuphost::sandbox::sim
