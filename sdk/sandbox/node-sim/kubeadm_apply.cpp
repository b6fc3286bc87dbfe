// kubeadm upgrade apply VERSION on the first control plane (1.30/1.31 flow,
// kubeadm-upgrade.md §2): requirements, health checks, version policy,
// confirmation, static Pod upgrade, post-upgrade tasks.
#include <ostream>

#include "cluster_state.h"
#include "kubeadm.h"
#include "static_pod_upgrade.h"
#include "version_policy.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::KubeVersion;

struct ApplyOptions {
  bool yes = false, force = false, dry_run = false, etcd_upgrade = true, renew = true;
  bool allow_experimental = false, allow_rc = false;
};

std::optional<ApplyOptions> read_options(Invocation &inv, const ParsedFlags &flags) {
  std::string error;
  ApplyOptions o;
  const auto b = [&](const char *name, bool fallback, bool *into) {
    if (!error.empty()) return;
    if (auto v = flags.get_bool(name, fallback, &error)) *into = *v;
  };
  b("yes", false, &o.yes);
  b("force", false, &o.force);
  b("dry-run", false, &o.dry_run);
  b("etcd-upgrade", true, &o.etcd_upgrade);
  b("certificate-renewal", true, &o.renew);
  b("allow-experimental-upgrades", false, &o.allow_experimental);
  b("allow-release-candidate-upgrades", false, &o.allow_rc);
  if (!error.empty()) {
    kubeadm_fail(inv, error);
    return std::nullopt;
  }
  return o;
}

bool enforce_policies(Invocation &inv, const UpgradeContext &ctx, const KubeVersion &target, const ApplyOptions &o) {
  inv.out << "[upgrade/version] You have chosen to change the cluster version to \"" << target.str() << "\"\n"
          << "[upgrade/versions] Cluster version: " << ctx.cluster_version.str() << "\n"
          << "[upgrade/versions] kubeadm version: " << ctx.kubeadm.str() << "\n";
  VersionPolicyInput in{ctx.cluster_version, ctx.kubeadm, target, target.str(), {}, o.allow_experimental, o.allow_rc};
  for (const auto &n : ctx.cluster.nodes) in.kubelet_versions.push_back(n.kubelet_version);
  const VersionSkewErrors errors = enforce_version_policies(in);
  if (!errors.mandatory.empty()) {
    kubeadm_fail(inv, "[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:\n\n" +
                          format_error_list(errors.mandatory) +
                          "\nPlease fix the misalignments highlighted above and try upgrading again");
    return false;
  }
  if (!errors.skippable.empty()) {
    if (!o.force) {
      kubeadm_fail(inv, "[upgrade/version] FATAL: the --version argument is invalid due to these errors:\n\n" +
                            format_error_list(errors.skippable) + "\nCan be bypassed if you pass the --force flag");
      return false;
    }
    inv.out << "[upgrade/version] Found " << errors.skippable.size()
            << " potential version compatibility errors but skipping since the --force flag is set: \n\n"
            << format_error_list(errors.skippable);
  }
  return true;
}

// InteractivelyConfirmAction: reads one line from stdin, whatever it is.
bool confirm(Invocation &inv) {
  inv.out << "[upgrade] Are you sure you want to proceed? [y/N]: ";
  inv.out.flush();
  std::string answer;
  std::getline(inv.in, answer);
  if (answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes" || answer == "YES") return true;
  inv.out << "\n";
  kubeadm_fail(inv, "won't proceed; the user didn't answer (Y|y) in order to continue");
  return false;
}

void post_upgrade(Invocation &inv, const KubeVersion &target, bool dry_run) {
  if (dry_run) {
    inv.out << "[dryrun] Would store the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" "
               "Namespace\n";
  } else {
    detail::update_cluster(inv.sandbox_dir, [&](detail::ClusterState &state) {
      state.kubernetes_version = target.str();
      return true;
    });
    inv.out << "[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" "
               "Namespace\n"
               "[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration "
               "for the kubelets in the cluster\n";
  }
  kubelet_config_phase(inv, dry_run);
  inv.out << "[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes\n"
             "[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes "
             "to get long term certificate credentials\n"
             "[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs "
             "from a Node Bootstrap Token\n"
             "[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client "
             "certificates in the cluster\n";
  addon_phase(inv, target, dry_run);
}

}  // namespace

int kubeadm_upgrade_apply(Invocation &inv, const std::vector<std::string> &args) {
  auto specs = upgrade_common_flags();
  specs.insert(specs.end(), {{"yes", 'y'},
                             {"force", 'f'},
                             {"dry-run"},
                             {"etcd-upgrade"},
                             {"certificate-renewal"},
                             {"patches", 0, true},
                             {"allow-experimental-upgrades"},
                             {"allow-release-candidate-upgrades"},
                             {"print-config"},
                             {"skip-phases", 0, true}});
  std::string error;
  const auto flags = parse_flags(args, specs, &error);
  if (!flags) return kubeadm_fail(inv, error);
  const auto options = read_options(inv, *flags);
  if (!options) return 1;
  if (flags->positionals.empty())
    return kubeadm_fail(inv, "missing one or more required arguments. Required arguments: [version]");
  if (flags->positionals.size() > 1) return kubeadm_fail(inv, "expected exactly one argument: the version");
  const auto target = KubeVersion::parse(flags->positionals[0]);
  if (!target)
    return kubeadm_fail(inv, "[upgrade/version] FATAL: couldn't parse version \"" + flags->positionals[0] +
                                 "\": illegal version string \"" + flags->positionals[0] + "\"");
  if (!check_kubeconfig(inv, *flags, "/etc/kubernetes/admin.conf")) return 1;
  const auto ctx = load_upgrade_context(inv);
  if (!ctx) return 1;

  inv.out << "[upgrade/config] Making sure the configuration is correct:\n"
             "[upgrade/config] Reading configuration from the cluster...\n"
             "[upgrade/config] FYI: You can look at this config file with 'kubectl -n kube-system get cm "
             "kubeadm-config -o yaml'\n";
  if (!check_config_file(inv, *flags)) return 1;
  inv.out << "[preflight] Running pre-flight checks.\n";
  if (!run_cluster_health_checks(inv, *ctx, ignored_preflight_errors(*flags))) return 1;
  if (!enforce_policies(inv, *ctx, *target, *options)) return 1;
  if (!options->yes && !options->force && !options->dry_run && !confirm(inv)) return 1;

  if (options->dry_run) {
    inv.out << "[upgrade/prepull] Would pull the required images (like 'kubeadm config images pull')\n";
  } else {
    inv.out << "[upgrade/prepull] Pulling images required for setting up a Kubernetes cluster\n"
               "[upgrade/prepull] This might take a minute or two, depending on the speed of your internet "
               "connection\n"
               "[upgrade/prepull] You can also perform this action in beforehand using 'kubeadm config images pull'\n";
  }
  inv.out << "[upgrade/apply] Upgrading your Static Pod-hosted control plane to version \"" << target->str()
          << "\" (timeout: 5m0s)...\n";
  StaticPodUpgradeOptions upgrade{*target, options->dry_run, options->etcd_upgrade, options->renew,
                                  flags->get("patches")};
  if (const auto failure = upgrade_static_pods(inv, *ctx, upgrade))
    return kubeadm_fail(inv, "[upgrade/apply] FATAL: " + *failure);
  post_upgrade(inv, *target, options->dry_run);

  if (options->dry_run) {
    inv.out << "[upgrade/successful] Finished dryrunning successfully!\n";
    return 0;
  }
  inv.out << "\n[upgrade/successful] SUCCESS! Your cluster was upgraded to \"" << target->str() << "\". Enjoy!\n\n"
          << "[upgrade/kubelet] Now that your control plane is upgraded, please proceed with upgrading your "
             "kubelets if you haven't already done so.\n";
  return 0;
}

}  // namespace kuphost::sandbox::sim
