#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <ostream>
#include <random>

#include "fs_util.h"
#include "clock_text.h"
#include "kubeadm.h"
#include "node_files.h"
#include "node_state.h"

namespace kuphost::sandbox::sim {

int kubeadm_fail(Invocation &inv, const std::string &message) {
  inv.out.flush();
  inv.err << message << "\nTo see the stack trace of this error execute with --v=5 or higher\n";
  return 1;
}

std::optional<UpgradeContext> load_upgrade_context(Invocation &inv, const std::optional<detail::KubeVersion> &binary) {
  UpgradeContext ctx;
  ctx.sandbox = detail::read_sandbox_file(inv.sandbox_dir);
  const detail::SandboxNode *node = ctx.sandbox.find(inv.node_name);
  if (!node) {
    kubeadm_fail(inv, "node \"" + inv.node_name + "\" is not part of the sandbox in " + inv.sandbox_dir.string());
    return std::nullopt;
  }
  ctx.node = *node;
  const auto kubeadm = binary ? binary : detail::KubeVersion::parse(detail::read_node_state(inv.root).package("kubeadm"));
  if (!kubeadm) {
    kubeadm_fail(inv, "the installed kubeadm version in node.yaml is not a version");
    return std::nullopt;
  }
  ctx.kubeadm = *kubeadm;
  ctx.cluster = detail::read_cluster(inv.sandbox_dir);
  const auto cluster_version = detail::KubeVersion::parse(ctx.cluster.kubernetes_version);
  if (!cluster_version) {
    kubeadm_fail(inv, "unable to fetch cluster version: cluster.yaml kubernetesVersion \"" +
                          ctx.cluster.kubernetes_version + "\" is not a version");
    return std::nullopt;
  }
  ctx.cluster_version = *cluster_version;
  ctx.control_plane = fs::exists(inv.root / "etc/kubernetes/manifests/kube-apiserver.yaml");
  return ctx;
}

std::vector<FlagSpec> upgrade_common_flags() {
  return {{"config", 0, true}, {"kubeconfig", 0, true}, {"ignore-preflight-errors", 0, true},
          {"v", 'v', true},    {"rootfs", 0, true}};
}

bool check_kubeconfig(Invocation &inv, const ParsedFlags &flags, const std::string &default_path) {
  const std::string path = flags.get("kubeconfig", default_path);
  if (fs::exists(inv.host_path(path))) return true;
  kubeadm_fail(inv, "couldn't create a Kubernetes client from file \"" + path +
                        "\": failed to load admin kubeconfig: open " + path + ": no such file or directory");
  return false;
}

bool check_config_file(Invocation &inv, const ParsedFlags &flags) {
  if (!flags.has("config")) return true;
  const std::string path = flags.get("config");
  auto text = detail::read_file_if_exists(fs::path(path).is_absolute() && fs::exists(path) ? fs::path(path)
                                                                                           : inv.host_path(path));
  if (!text) {
    kubeadm_fail(inv, "unable to read config from \"" + path + "\" : open " + path + ": no such file or directory");
    return false;
  }
  if (text->find("UpgradeConfiguration") == std::string::npos)
    inv.out << "[upgrade/config] WARNING: reconfiguring the cluster during upgrade is not recommended; "
               "use an UpgradeConfiguration in --config\n";
  return true;
}

std::set<std::string> ignored_preflight_errors(const ParsedFlags &flags) {
  std::set<std::string> out;
  const std::string list = flags.get("ignore-preflight-errors");
  for (size_t start = 0; start <= list.size();) {
    const auto comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::transform(item.begin(), item.end(), item.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!item.empty()) out.insert(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool run_cluster_health_checks(Invocation &inv, const UpgradeContext &ctx, const std::set<std::string> &ignored) {
  inv.out << "[upgrade] Running cluster health checks\n";
  struct Finding {
    std::string check, message;
  };
  std::vector<Finding> findings;
  const bool schedulable = std::any_of(ctx.cluster.nodes.begin(), ctx.cluster.nodes.end(),
                                       [](const auto &n) { return !n.unschedulable; });
  if (!schedulable)
    inv.out << "[upgrade/health] WARNING: skipping the CreateJob check: no node in the cluster is schedulable\n";
  std::string not_ready;
  for (const auto &n : ctx.cluster.nodes)
    if (n.is_control_plane() && !n.ready) not_ready += (not_ready.empty() ? "" : " ") + n.name;
  if (!not_ready.empty())
    findings.push_back({"ControlPlaneNodesReady", "there are NotReady control-planes in the cluster: [" + not_ready + "]"});
  std::string missing;
  for (const char *c : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
    const std::string path = std::string("/etc/kubernetes/manifests/") + c + ".yaml";
    if (!fs::exists(inv.host_path(path))) missing += (missing.empty() ? "" : " ") + path;
  }
  if (!missing.empty())
    findings.push_back({"StaticPodManifest",
                        "The control plane seems to be Static Pod-hosted, but some of the manifests don't seem to "
                        "exist on disk. This probably means you're running 'kubeadm upgrade' on a remote machine, "
                        "which is not supported for a Static Pod-hosted cluster. Manifest files not found: [" +
                            missing + "]"});
  std::string fatal;
  for (const auto &f : findings) {
    std::string lower = f.check;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ignored.count("all") || ignored.count(lower))
      inv.out << "\t[WARNING " << f.check << "]: " << f.message << "\n";
    else
      fatal += "\t[ERROR " + f.check + "]: " + f.message + "\n";
  }
  if (fatal.empty()) return true;
  kubeadm_fail(inv, "[upgrade/health] FATAL: [preflight] Some fatal errors occurred:\n" + fatal +
                        "[preflight] If you know what you are doing, you can make a check non-fatal with "
                        "`--ignore-preflight-errors=...`");
  return false;
}

void kubelet_config_phase(Invocation &inv, bool dry_run) {
  const fs::path tmp = inv.root / "etc/kubernetes/tmp";
  if (dry_run) {
    inv.out << "[dryrun] Would back up kubelet config file to /etc/kubernetes/tmp/kubeadm-kubelet-configXXXXXX/"
               "config.yaml\n[dryrun] Would write kubelet configuration to file \"/var/lib/kubelet/config.yaml\"\n";
    return;
  }
  detail::make_dirs(tmp, 0700);
  const fs::path backup = make_temp_dir(tmp, "kubeadm-kubelet-config");
  const fs::path config = inv.root / "var/lib/kubelet/config.yaml";
  if (const auto old = detail::read_file_if_exists(config)) detail::write_file(backup / "config.yaml", *old, 0644);
  inv.out << "[upgrade] Backing up kubelet config file to /etc/kubernetes/tmp/" << backup.filename().string()
          << "/config.yaml\n";
  detail::write_file_atomic(config, detail::kubelet_config_yaml(), 0644);
  inv.out << "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"\n";
}

void addon_phase(Invocation &inv, const detail::KubeVersion &target, bool dry_run) {
  const auto state = detail::read_cluster(inv.sandbox_dir);
  std::string behind;
  for (const auto &n : state.nodes)
    if (n.is_control_plane() && n.control_plane_version != target.str())
      behind += (behind.empty() ? "" : " ") + n.name;
  if (!behind.empty()) {
    inv.out << "[upgrade/addon] Skipping upgrade of addons because control plane instances [" << behind
            << "] have not been upgraded\n";
    return;
  }
  if (dry_run) {
    inv.out << "[dryrun] Would apply essential addon: CoreDNS\n[dryrun] Would apply essential addon: kube-proxy\n";
    return;
  }
  detail::update_cluster(inv.sandbox_dir, [&](detail::ClusterState &s) {
    s.coredns_version = detail::coredns_version_for(target);
    s.kube_proxy_version = target.str();
    return true;
  });
  inv.out << "[addons] Applied essential addon: CoreDNS\n[addons] Applied essential addon: kube-proxy\n";
}

// kubeadm names its backup directories in local time.
std::string backup_timestamp() { return detail::format_now("%Y-%m-%d-%H-%M-%S", detail::TimeZone::kLocal); }

fs::path make_unique_dir(const fs::path &parent, const std::string &prefix) {
  detail::make_dirs(parent, 0700);
  for (int n = 0;; ++n) {
    const fs::path dir = parent / (n == 0 ? prefix : prefix + "-" + std::to_string(n));
    if (::mkdir(dir.c_str(), 0700) == 0) return dir;
    if (errno != EEXIST) throw std::runtime_error("failed to create directory " + dir.string());
  }
}

fs::path make_temp_dir(const fs::path &parent, const std::string &prefix) {
  detail::make_dirs(parent, 0700);
  std::random_device rd;
  std::uniform_int_distribution<unsigned long> digits(100000000, 4294967295ul);
  for (;;) {
    const fs::path dir = parent / (prefix + std::to_string(digits(rd)));
    if (::mkdir(dir.c_str(), 0700) == 0) return dir;
    if (errno != EEXIST) throw std::runtime_error("failed to create directory " + dir.string());
  }
}

}  // namespace kuphost::sandbox::sim
