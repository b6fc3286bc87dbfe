// preflight: the checks that must pass before kuphost changes anything,
// named like kubeadm's (preflight_checks.h) and reported like kubeadm's:
// `[ERROR Name]: ...` fails the phase, `[WARNING Name]: ...` is a failure
// the operator skipped with --ignore-preflight-errors (or --force, for the
// skew rules kubeadm's --force skips). Plan runs the same checks (they only
// read), so a plan already fails on a skipped minor, and its plan also hands
// the component table of `kuphost plan` to the host (plan_table.h).
#include <algorithm>
#include <cctype>
#include <set>

#include "cluster_view.h"
#include "kubeadm_plugin.h"
#include "plan_table.h"
#include "preflight_checks.h"
#include "skew_policy.h"
#include "support/exec_options.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

// Room for kubeadm's own backups (manifests, kubelet config) and kuphost's
// journal and file backups; a stacked etcd member's data directory comes on
// top, because kubeadm copies it to /etc/kubernetes/tmp before upgrading etcd.
constexpr uint64_t kBaseBackupBytes = 64ull << 20;

std::vector<std::string> split_on(std::string_view text, char separator) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    const auto end = text.find(separator, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::optional<uint64_t> parse_uint(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

std::string join_names(const std::vector<std::string_view> &names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// --ignore-preflight-errors, as the host passes it in run.ignore-preflight-errors:
// comma-separated, matched case-insensitively as kubeadm does.
struct IgnoreList {
  bool all = false;
  std::set<std::string> names;  // lower-cased
  bool covers(std::string_view name) const { return all || names.count(lower(name)) > 0; }
};

IgnoreList parse_ignore_list(const std::optional<std::string> &fact) {
  IgnoreList list;
  if (!fact) return list;
  const std::string valid = join_names(preflight_check_names());
  for (const auto &word : split_on(*fact, ',')) {
    const std::string name = lower(trim(word));
    if (name.empty()) continue;
    if (name == "all") {
      list.all = true;
      continue;
    }
    const auto &known = preflight_check_names();
    if (std::none_of(known.begin(), known.end(), [&](std::string_view k) { return lower(k) == name; }))
      throw kup::Error(KUP_E_INVALID_ARGUMENT, "unknown check '" + std::string(trim(word)) +
                                                   "' in --ignore-preflight-errors; valid names: " + valid + ", all");
    list.names.insert(name);
  }
  return list;
}

struct Failure {
  std::string name, message;
  Override override_by = Override::kIgnoreByNameOnly;
};

constexpr uint32_t kQueryTimeoutMs = 30 * 1000;

// Runs a read-only kubectl query; nullopt with *why on failure.
std::optional<std::string> query(const kup::Host &host, const std::vector<std::string> &argv, std::string *why) {
  try {
    const auto r = host.run(argv, read_only_query(kQueryTimeoutMs));
    if (r.exit_code == 0) return r.out;
    *why = last_line_of(r.err.empty() ? r.out : r.err);
    if (why->empty()) *why = "kubectl exited with " + std::to_string(r.exit_code);
  } catch (const kup::Error &e) {
    *why = e.what();
  }
  return std::nullopt;
}

// Sum of the regular files under a node directory (the etcd data dir).
uint64_t tree_bytes(const kup::Host &host, const std::string &dir, int depth = 0) {
  if (depth > 8) return 0;
  uint64_t total = 0;
  std::vector<std::string> names;
  try {
    names = host.list_dir(dir);
  } catch (const kup::Error &) {
    return 0;
  }
  for (const auto &name : names) {
    if (name.empty()) continue;
    const std::string path = dir + "/" + name;
    const auto info = host.stat(path);
    if (info.type == KUP_FILE_DIRECTORY) total += tree_bytes(host, path, depth + 1);
    else if (info.type == KUP_FILE_REGULAR) total += info.size;
  }
  return total;
}

std::string mib(uint64_t bytes) { return std::to_string((bytes + (1ull << 20) - 1) >> 20) + " MiB"; }

}  // namespace

void KubeadmPlugin::plan_preflight(const kup::Call &call) { check_preflight(call, /*planning=*/true); }

void KubeadmPlugin::apply_preflight(const kup::Call &call) { check_preflight(call, /*planning=*/false); }

void KubeadmPlugin::check_preflight(const kup::Call &call, bool planning) {
  // The certs plugin honours the operator's "no renewal during the upgrade"
  // too (it renews ahead of kubeadm, which is then told not to).
  try {
    host_.shared_state_set("kubeadm/certificate-renewal", settings_.certificate_renewal ? "true" : "false");
  } catch (const kup::Error &e) {
    host_.debug(std::string("certificate-renewal not shared: ") + e.what());
  }
  const std::string node = node_name();
  const IgnoreList ignore = parse_ignore_list(host_.fact("run.ignore-preflight-errors"));
  const bool sandbox = host_.fact("run.sandbox").value_or("") == "true";
  const std::string role_fact = host_.fact("node.role").value_or("worker");
  const NodeRole role = role_fact == "first-control-plane"   ? NodeRole::kFirstControlPlane
                        : role_fact == "other-control-plane" ? NodeRole::kOtherControlPlane
                                                             : NodeRole::kWorker;
  const bool stacked_etcd = host_.fact("etcd.topology").value_or("") == "stacked";
  int passed = 0;
  std::vector<Failure> failures;
  auto pass = [&](std::string_view name, const std::string &what) {
    call.out("[OK " + std::string(name) + "]: " + what);
    ++passed;
  };
  auto fail = [&](std::string_view name, std::string message, Override o = Override::kIgnoreByNameOnly) {
    failures.push_back({std::string(name), std::move(message), o});
  };

  // IsPrivilegedUser: kubeadm, the package manager and systemctl need root.
  if (host_.fact("run.privileged-user").value_or("") == "true") pass(kCheckIsPrivilegedUser, "running as root");
  else if (sandbox) pass(kCheckIsPrivilegedUser, "sandbox node: its simulated commands need no root");
  else
    fail(kCheckIsPrivilegedUser, "kuphost is not running as root; upgrading a node runs kubeadm, the package "
                                 "manager and systemctl: run it with sudo");

  // Windows workers are probed by windows-node, not by the host's facts.
  if (!is_windows()) {
    if (const auto kubeadm = host_.fact("k8s.kubeadm.version"))
      pass(kCheckKubeadmInstalled, "kubeadm " + *kubeadm + " is installed");
    else
      fail(kCheckKubeadmInstalled, "kubeadm is not installed on " + node +
                                       " (`kubeadm version` gave no version); install the kubeadm package the "
                                       "cluster was created with, then run kuphost again");
  }

  if (is_control_plane()) {
    if (host_.stat(kAdminConf).exists()) pass(kCheckAdminConf, std::string(kAdminConf) + " is present");
    else
      fail(kCheckAdminConf, std::string(kAdminConf) + " is missing on control-plane node " + node +
                                "; kubeadm upgrade needs the admin kubeconfig: copy it from the first control plane");
  }

  if (!is_windows()) {
    // Swap: every line of /proc/swaps after its header is an active swap area.
    std::vector<std::string> areas;
    if (host_.stat("/proc/swaps").exists()) {
      try {
        const auto lines = split_on(host_.read_file("/proc/swaps"), '\n');
        for (size_t i = 1; i < lines.size(); ++i)
          if (!trim(lines[i]).empty()) areas.push_back(words_of(lines[i]).front());
      } catch (const kup::Error &e) {
        fail(kCheckSwap, std::string("cannot read /proc/swaps: ") + e.what());
      }
      if (areas.empty()) pass(kCheckSwap, "no swap is active");
      else
        fail(kCheckSwap, "swap is on (" + join(areas, ", ") +
                             "); the kubelet refuses to run with swap unless configured for it: run `swapoff -a` "
                             "and remove the swap entries from /etc/fstab");
    } else {
      pass(kCheckSwap, "no /proc/swaps on this node: no swap");
    }

    // FreeDiskSpace: kubeadm backs up under /etc/kubernetes/tmp, kuphost under /var/lib/kuphost.
    uint64_t etcd_bytes = 0;
    if (is_control_plane() && stacked_etcd && settings_.etcd_upgrade) etcd_bytes = tree_bytes(host_, "/var/lib/etcd");
    const std::pair<const char *, uint64_t> needs[] = {{"/etc/kubernetes", kBaseBackupBytes + etcd_bytes},
                                                       {"/var/lib", kBaseBackupBytes}};
    for (const auto &[path, need] : needs) {
      const auto free_text = host_.fact(std::string("fs.available-bytes:") + path);
      const auto free = free_text ? parse_uint(*free_text) : std::nullopt;
      if (!free) {
        pass(kCheckFreeDiskSpace, std::string("free space under ") + path + " is unknown here; not checked");
        continue;
      }
      if (*free >= need)
        pass(kCheckFreeDiskSpace, mib(*free) + " free under " + path + ", " + mib(need) + " needed for backups");
      else
        fail(kCheckFreeDiskSpace, std::string("only ") + mib(*free) + " free under " + path + "; the upgrade's backups" +
                                      (etcd_bytes && std::string_view(path) == "/etc/kubernetes"
                                           ? " (including a copy of /var/lib/etcd, " + mib(etcd_bytes) + ")"
                                           : std::string()) +
                                      " need " + mib(need) + ": free some space there");
    }
  }

  // The API server: reachable, every node Ready, this node's control plane running.
  const Kubectl k = kubectl();
  std::string why;
  std::optional<KubeVersion> api_server;
  std::optional<std::vector<ClusterNodeInfo>> nodes;
  std::optional<std::vector<PodInfo>> system_pods;
  const auto version_json = query(host_, k.argv({"version", "-o", "json"}), &why);
  if (version_json) api_server = parse_server_version(*version_json);
  if (!api_server) {
    fail(kCheckAPIServerReachable,
         "cannot read the API server's version with " + k.kubeconfig() + ": " +
             (why.empty() ? "kubectl gave no serverVersion" : why) +
             "; check that kube-apiserver is up and that the kubeconfig is valid (NodesReady, "
             "ControlPlanePodsRunning and the kubelet skew are not checked without it)");
  } else {
    pass(kCheckAPIServerReachable, "the API server answers (" + api_server->str() + ")");
    if (const auto json = query(host_, k.argv({"get", "nodes", "-o", "json"}), &why)) nodes = parse_nodes(*json, &why);
    if (!nodes) {
      fail(kCheckNodesReady, "cannot list the nodes: " + why);
    } else {
      std::vector<std::string> not_ready;
      for (const auto &n : *nodes)
        if (n.ready != "True") not_ready.push_back(n.name + " (Ready=" + (n.ready.empty() ? "unknown" : n.ready) + ")");
      if (not_ready.empty()) pass(kCheckNodesReady, "all " + std::to_string(nodes->size()) + " nodes are Ready");
      else
        fail(kCheckNodesReady, "nodes not Ready: " + join(not_ready, ", ") +
                                   "; fix them before upgrading, or skip this check if they are expected to be down");
    }
    if (is_control_plane()) {
      std::optional<std::vector<PodInfo>> mine;
      if (const auto json = query(host_,
                                  k.argv({"get", "pods", "-n", "kube-system", "--field-selector",
                                          "spec.nodeName=" + node, "-o", "json"}),
                                  &why))
        mine = parse_pods(*json, &why);
      if (!mine) {
        fail(kCheckControlPlanePodsRunning, "cannot list the kube-system pods of " + node + ": " + why);
      } else {
        std::vector<std::string> components{"kube-apiserver", "kube-controller-manager", "kube-scheduler"};
        if (stacked_etcd) components.push_back("etcd");
        std::vector<std::string> down;
        for (const auto &c : components) {
          const std::string pod = c + "-" + node;
          const auto it = std::find_if(mine->begin(), mine->end(), [&](const PodInfo &p) { return p.name == pod; });
          if (it == mine->end()) down.push_back(pod + " (no such pod)");
          else if (it->phase != "Running") down.push_back(pod + " (" + (it->phase.empty() ? "no phase" : it->phase) + ")");
        }
        if (down.empty())
          pass(kCheckControlPlanePodsRunning, "the control-plane pods of " + node + " are Running");
        else
          fail(kCheckControlPlanePodsRunning,
               "control-plane pods of " + node + " not Running: " + join(down, ", ") +
                   "; check the static pods in /etc/kubernetes/manifests and the kubelet's log");
      }
    }
    if (planning) {
      if (const auto json = query(host_, k.argv({"get", "pods", "-n", "kube-system", "-o", "json"}), &why))
        system_pods = parse_pods(*json, &why);
    }
  }

  // The version-skew rules need a target.
  std::optional<KubeVersion> target;
  if (planning && call.target_version().empty()) {
    call.out("the version-skew rules (" + join_names(skew_rule_names()) + ") need a target version");
  } else {
    target = require_target(call);
    SkewInput in;
    in.target = *target;
    in.role = role;
    in.node = node;
    in.api_server = api_server;
    in.this_control_plane = fact_version("k8s.control_plane.version");
    in.this_kubelet = fact_version("k8s.kubelet.version");
    in.kubeadm = is_windows() ? std::nullopt : fact_version("k8s.kubeadm.version");
    if (nodes) {
      std::vector<NodeKubelet> kubelets;
      for (const auto &n : *nodes) kubelets.push_back({n.name, KubeVersion::parse(n.kubelet)});
      in.nodes = std::move(kubelets);
    }
    in.allow_experimental = host_.fact("run.allow-experimental-upgrades").value_or("") == "true";
    in.allow_release_candidate = host_.fact("run.allow-release-candidate-upgrades").value_or("") == "true";
    const auto current = current_version(in);
    if (!current && !is_windows()) {
      fail(kRuleSkippedMinor,
           is_control_plane()
               ? "cannot tell the control-plane version of " + node +
                     ": no readable image tag in /etc/kubernetes/manifests/kube-apiserver.yaml and no API server"
               : "cannot tell the kubelet version of " + node + ": `kubelet --version` gave no version; is the "
                                                                "kubelet installed?",
           Override::kNever);
    } else if (!current) {
      call.out("the kubelet version of a Windows worker is not probed here; windows-node checks it");
    }
    const auto findings = check_skew(in);
    for (const auto &f : findings) fail(f.rule, f.message, f.override_by);
    if (findings.empty() && current)
      pass("SkewPolicy", current->str() + " -> " + target->str() + " is within the version-skew policy");
  }

  if (planning) {
    PlanTableInput table;
    table.cluster = api_server ? api_server : fact_version("k8s.control_plane.version");
    table.cluster_source = api_server ? "API server" : table.cluster ? "this node's kube-apiserver manifest" : "";
    table.kubeadm = fact_version("k8s.kubeadm.version");
    table.target = target;
    table.etcd_upgrade = settings_.etcd_upgrade;
    table.nodes = nodes;
    table.pods = system_pods;
    table.node = node;
    table.control_plane = is_control_plane();
    table.this_control_plane = fact_version("k8s.control_plane.version");
    table.this_kubelet = fact_version("k8s.kubelet.version");
    try {
      host_.shared_state_set(kPlanTableKey, plan_table_yaml(table));
    } catch (const kup::Error &e) {
      host_.debug(std::string("no component table for this plan: ") + e.what());
    }
  }

  // Report like kubeadm: skipped failures as warnings, the rest as errors.
  std::vector<std::string> errors, skippable, fatal;
  for (const auto &f : failures) {
    const bool by_name = f.override_by != Override::kNever && ignore.covers(f.name);
    const bool by_force = f.override_by == Override::kForce && call.force();
    if (by_name || by_force) {
      call.out("[WARNING " + f.name + "]: " + f.message + (by_name ? "" : " (skipped: --force)"));
      continue;
    }
    // Plans are often made for every node before the first one is upgraded:
    // the order is a matter of time there, so a plan only warns about it.
    if (planning && f.name == kRuleControlPlaneFirst) {
      call.out("[WARNING " + f.name + "]: " + f.message + " (apply refuses until then)");
      continue;
    }
    errors.push_back("[ERROR " + f.name + "]: " + f.message);
    call.out(errors.back());
    auto &names = f.override_by == Override::kNever ? fatal : skippable;
    if (std::find(names.begin(), names.end(), f.name) == names.end()) names.push_back(f.name);
  }
  if (!errors.empty()) {
    std::string hint;
    if (!skippable.empty())
      hint = "; use --ignore-preflight-errors=" + join(skippable, ",") + " to skip " +
             (skippable.size() == 1 ? "it" : "them");
    if (!fatal.empty())
      hint += std::string(skippable.empty() ? "; " : " (") + join(fatal, ", ") +
               " cannot be skipped, not even with --force" +
              (skippable.empty() ? "" : ")");
    throw kup::Error(fatal.empty() ? KUP_E_PREREQUISITE_MISSING : KUP_E_INVALID_ARGUMENT,
                     "[preflight] " + std::to_string(errors.size()) + " check" + (errors.size() == 1 ? "" : "s") +
                         " failed: " + join(errors, " ") + hint);
  }
  if (!planning) call.unchanged(std::to_string(passed) + (passed == 1 ? " check passed" : " checks passed"));
}

}  // namespace kuphost_plugins::kubeadm
