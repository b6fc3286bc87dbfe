// kubeadm upgrade plan [VERSION]: health checks, the version lines and the
// component tables. Offline, as sandboxes are, it falls back to the kubeadm
// binary's own version when no VERSION is given (kubernetes PR #54016).
#include <algorithm>
#include <ostream>

#include "fs_util.h"
#include "kubeadm.h"
#include "text_table.h"
#include "manifests.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::KubeVersion;

// The etcd image a control plane runs, as its mirror Pod shows it.
std::string etcd_tag_on(const Invocation &inv, const std::string &node) {
  const auto text = detail::read_file_if_exists(inv.sandbox_dir / "nodes" / node /
                                                "root/etc/kubernetes/manifests/etcd.yaml");
  return text ? detail::manifest_image_tag(*text) : std::string();
}

void print_tables(Invocation &inv, const UpgradeContext &ctx, const KubeVersion &target) {
  // kubeadm 1.31 started listing components per node.
  const bool per_node = ctx.kubeadm.minor >= 31;
  const std::string to = target.str();
  const bool stacked = ctx.sandbox.etcd == "stacked";

  inv.out << "\nComponents that must be upgraded manually after you have upgraded the control plane with 'kubeadm "
             "upgrade apply':\n";
  std::vector<std::vector<std::string>> kubelets;
  if (per_node) {
    kubelets.push_back({"COMPONENT", "NODE", "CURRENT", "TARGET"});
    for (const auto &n : ctx.cluster.nodes) kubelets.push_back({"kubelet", n.name, n.kubelet_version, to});
  } else {
    kubelets.push_back({"COMPONENT", "CURRENT", "TARGET"});
    std::vector<std::pair<std::string, int>> counts;
    for (const auto &n : ctx.cluster.nodes) {
      auto it = std::find_if(counts.begin(), counts.end(), [&](const auto &c) { return c.first == n.kubelet_version; });
      if (it == counts.end()) counts.emplace_back(n.kubelet_version, 1);
      else ++it->second;
    }
    for (const auto &[version, count] : counts)
      kubelets.push_back({"kubelet", std::to_string(count) + " x " + version, to});
  }
  print_table(inv.out, kubelets);

  inv.out << "\nUpgrade to the latest stable version:\n\n";
  const std::string etcd_target = detail::etcd_image_tag_for(target);
  const std::string coredns_target = detail::coredns_version_for(target);
  std::vector<std::vector<std::string>> rows;
  if (per_node) {
    rows.push_back({"COMPONENT", "NODE", "CURRENT", "TARGET"});
    for (const char *component : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"})
      for (const auto &n : ctx.cluster.nodes)
        if (n.is_control_plane()) rows.push_back({component, n.name, n.control_plane_version, to});
    rows.push_back({"kube-proxy", "", ctx.cluster.kube_proxy_version, to});
    rows.push_back({"CoreDNS", "", ctx.cluster.coredns_version, coredns_target});
    if (stacked)
      for (const auto &n : ctx.cluster.nodes)
        if (n.is_control_plane()) rows.push_back({"etcd", n.name, etcd_tag_on(inv, n.name), etcd_target});
  } else {
    rows.push_back({"COMPONENT", "CURRENT", "TARGET"});
    for (const char *component : {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy"})
      rows.push_back({component, ctx.cluster_version.str(), to});
    rows.push_back({"CoreDNS", ctx.cluster.coredns_version, coredns_target});
    if (stacked) rows.push_back({"etcd", etcd_tag_on(inv, ctx.node.name), etcd_target});
  }
  print_table(inv.out, rows);

  inv.out << "\nYou can now apply the upgrade by executing the following command:\n\n\tkubeadm upgrade apply " << to
          << "\n\n";
  if (ctx.kubeadm < target)
    inv.out << "Note: Before you can perform this upgrade, you have to update kubeadm to " << to << ".\n\n";
  inv.out << "_____________________________________________________________________\n\n\n"
             "The table below shows the current state of component configs as understood by this version of "
             "kubeadm.\nConfigs that have a \"yes\" mark in the \"MANUAL UPGRADE REQUIRED\" column require manual "
             "config upgrade or\nresetting to kubeadm defaults before a successful upgrade can be performed. The "
             "version to manually\nupgrade to is denoted in the \"PREFERRED VERSION\" column.\n\n";
  print_table(inv.out, {{"API GROUP", "CURRENT VERSION", "PREFERRED VERSION", "MANUAL UPGRADE REQUIRED"},
                        {"kubeproxy.config.k8s.io", "v1alpha1", "v1alpha1", "no"},
                        {"kubelet.config.k8s.io", "v1beta1", "v1beta1", "no"}});
  inv.out << "_____________________________________________________________________\n\n";
}

}  // namespace

int kubeadm_upgrade_plan(Invocation &inv, const std::vector<std::string> &args) {
  auto specs = upgrade_common_flags();
  specs.insert(specs.end(), {{"allow-experimental-upgrades"}, {"allow-release-candidate-upgrades"},
                             {"output", 'o', true}, {"print-config"}, {"show-managed-fields"}});
  std::string error;
  const auto flags = parse_flags(args, specs, &error);
  if (!flags) return kubeadm_fail(inv, error);
  if (flags->positionals.size() > 1) return kubeadm_fail(inv, "expected at most one argument: the target version");
  if (const auto out = flags->get("output", "text"); out != "text")
    return kubeadm_fail(inv, "output format \"" + out + "\" is not simulated by the kuphost sandbox; use text");
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
  inv.out << "[upgrade] Fetching available versions to upgrade to\n";

  KubeVersion target = ctx->kubeadm;
  if (!flags->positionals.empty()) {
    const auto parsed = KubeVersion::parse(flags->positionals[0]);
    if (!parsed) return kubeadm_fail(inv, "couldn't parse version \"" + flags->positionals[0] + "\"");
    target = *parsed;
  } else {
    const std::string series = std::to_string(ctx->cluster_version.major) + "." +
                               std::to_string(ctx->cluster_version.minor);
    const auto offline = [&](const std::string &what, const std::string &label) {
      const std::string url = "https://dl.k8s.io/release/" + label + ".txt";
      inv.out << "[upgrade/versions] WARNING: Couldn't fetch " << what << " from the internet: unable to get URL \""
              << url << "\": Get \"" << url << "\": dial tcp: lookup dl.k8s.io: no such host\n"
              << "[upgrade/versions] WARNING: Falling back to current kubeadm version as latest stable version\n";
    };
    offline("latest stable version", "stable");
    offline("latest version in the v" + series + " series", "stable-" + series);
  }
  const KubeVersion latest_in_series = ctx->kubeadm.minor == ctx->cluster_version.minor &&
                                               ctx->cluster_version < ctx->kubeadm
                                           ? ctx->kubeadm
                                           : ctx->cluster_version;
  inv.out << "[upgrade/versions] Cluster version: " << ctx->cluster_version.str() << "\n"
          << "[upgrade/versions] kubeadm version: " << ctx->kubeadm.str() << "\n"
          << "[upgrade/versions] Target version: " << target.str() << "\n"
          << "[upgrade/versions] Latest version in the " << ctx->cluster_version.minor_str()
          << " series: " << latest_in_series.str() << "\n";
  if (!(ctx->cluster_version < target)) {
    inv.out << "\nAwesome, you're up-to-date! Enjoy!\n";
    return 0;
  }
  print_tables(inv, *ctx, target);
  return 0;
}

}  // namespace kuphost::sandbox::sim
