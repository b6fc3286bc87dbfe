// Whole-cluster upgrades of sandbox clusters, node by node as the kubeadm
// documentation orders them, with the real kubectl against the simulated API
// server: the full 3+2 upgrade, drains a PodDisruptionBudget blocks, a
// kubelet that never becomes Ready, and the Lease-based upgrade slots.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <map>
#include <thread>

#include "cluster_test_support.h"

extern char **environ;

namespace kuphost::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string all_output(const ProcessResult &r) { return r.out + r.err; }

// Node name -> {kubelet version, Ready status, unschedulable}.
struct NodeView {
  std::string kubelet, ready;
  bool unschedulable = false;
};
std::map<std::string, NodeView> view(const YAML::Node &list) {
  std::map<std::string, NodeView> out;
  for (const auto &item : list["items"]) {
    NodeView v;
    v.kubelet = item["status"]["nodeInfo"]["kubeletVersion"].as<std::string>("");
    for (const auto &c : item["status"]["conditions"])
      if (c["type"].as<std::string>("") == "Ready") v.ready = c["status"].as<std::string>("");
    v.unschedulable = item["spec"]["unschedulable"].as<bool>(false);
    out[item["metadata"]["name"].as<std::string>()] = v;
  }
  return out;
}

// The node's record of the commands kuphost ran on it (the simulator's log).
std::string commands_run(const SandboxCluster &c, const std::string &node) {
  return read_file(c.root(node) / "var/log/kuphost-sandbox/commands.log");
}

// Upgrades the first control plane so that workers may follow.
void upgrade_control_plane(const SandboxCluster &c) {
  const auto r = c.apply("cp1");
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
}

TEST(ClusterUpgrade, ThreeControlPlanesAndTwoWorkersNodeByNodeEndReadyAtTheTarget) {
  SandboxCluster c(
      "cp1:first-control-plane,cp2:other-control-plane,cp3:other-control-plane,w1:worker,w2:worker");
  for (const std::string node : {"cp1", "cp2", "cp3", "w1", "w2"}) {
    const auto r = c.apply(node);
    ASSERT_EQ(r.exit_code, 0) << node << ":\n" << all_output(r);
    EXPECT_NE(r.out.find("[upgrade/successful] Node " + node + " upgraded to v1.31.2"), std::string::npos)
        << all_output(r);
  }
  const auto nodes = view(c.nodes());
  ASSERT_EQ(nodes.size(), 5u);
  for (const auto &[name, v] : nodes) {
    EXPECT_EQ(v.kubelet, "v1.31.2") << name;
    EXPECT_EQ(v.ready, "True") << name;
    EXPECT_FALSE(v.unschedulable) << name;
  }
  const auto version = c.kubectl({"version", "-o", "json"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(YAML::Load(version.out)["serverVersion"]["gitVersion"].as<std::string>(""), "v1.31.2");

  // Every drain was kuphost's, through the real kubectl, one node at a time.
  const auto history = c.cordon_history();
  EXPECT_EQ(history.size(), 10u);  // cordon + uncordon per node
  const auto again = c.apply("cp1");
  EXPECT_EQ(again.exit_code, 0) << all_output(again);
  EXPECT_NE(again.out.find("nothing changed"), std::string::npos) << all_output(again);
}

// No other node to take the evicted pods: their replacements wait as new
// pods (new names), so the drain completes instead of waiting for pods that
// never go away.
TEST(ClusterUpgrade, ASingleNodeClusterDrainsAndItsEvictedPodsWaitPendingUnderNewNames) {
  SandboxCluster c("cp1:first-control-plane");
  const auto pods = c.kubectl({"get", "pods", "-A", "-o", "json"});
  ASSERT_EQ(pods.exit_code, 0) << pods.err;
  std::vector<std::string> before;
  for (const auto &item : YAML::Load(pods.out)["items"]) before.push_back(item["metadata"]["name"].as<std::string>());
  ASSERT_FALSE(before.empty());
  const auto r = c.apply("cp1");
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  // Uncordon scheduled the waiting replacements back onto cp1.
  const auto after = c.kubectl({"get", "pods", "-A", "-o", "json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  int replacements = 0;
  for (const auto &item : YAML::Load(after.out)["items"]) {
    const std::string name = item["metadata"]["name"].as<std::string>();
    if (name.rfind("coredns-", 0) != 0 && name.rfind("web-", 0) != 0) continue;
    ++replacements;
    EXPECT_EQ(std::find(before.begin(), before.end(), name), before.end()) << name << " kept its evicted name";
  }
  EXPECT_EQ(replacements, 4);  // two CoreDNS and two web replicas
}

TEST(ClusterUpgrade, ADrainThatABudgetBlocksFailsNamesThePodAndUncordonsThenARerunCompletes) {
  SandboxCluster c("cp1:first-control-plane,w1:worker,w2:worker");
  upgrade_control_plane(c);
  // A budget that allows no disruption of the workload pods on w1.
  const auto pods = c.kubectl({"get", "pods", "-A", "--field-selector", "spec.nodeName=w1", "-o", "json"});
  ASSERT_EQ(pods.exit_code, 0) << pods.err;
  std::string pod, ns;
  YAML::Node labels;
  for (const auto &p : YAML::Load(pods.out)["items"]) {
    const auto owner = p["metadata"]["ownerReferences"][0]["kind"].as<std::string>("");
    if (owner == "ReplicaSet" && p["metadata"]["labels"]) {
      pod = p["metadata"]["name"].as<std::string>();
      ns = p["metadata"]["namespace"].as<std::string>();
      labels = p["metadata"]["labels"];
      break;
    }
  }
  ASSERT_FALSE(pod.empty()) << "the sandbox should run a labelled ReplicaSet pod on w1:\n" << pods.out;
  YAML::Emitter pdb;
  pdb << YAML::BeginMap << YAML::Key << "apiVersion" << YAML::Value << "policy/v1" << YAML::Key << "kind"
      << YAML::Value << "PodDisruptionBudget" << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap
      << YAML::Key << "name" << YAML::Value << "keep-all" << YAML::Key << "namespace" << YAML::Value << ns
      << YAML::EndMap << YAML::Key << "spec" << YAML::Value << YAML::BeginMap << YAML::Key << "maxUnavailable"
      << YAML::Value << 0 << YAML::Key << "selector" << YAML::Value << YAML::BeginMap << YAML::Key
      << "matchLabels" << YAML::Value << labels << YAML::EndMap << YAML::EndMap << YAML::EndMap;
  const auto created = c.kubectl({"create", "-f", "-"}, pdb.c_str());
  ASSERT_EQ(created.exit_code, 0) << created.err;

  c.configure("w1", "kubeadm:\n  drain-timeout: 7s\n");
  const auto blocked = c.apply("w1");
  EXPECT_NE(blocked.exit_code, 0) << all_output(blocked);
  EXPECT_NE(all_output(blocked).find(ns + "/" + pod), std::string::npos) << all_output(blocked);
  EXPECT_NE(all_output(blocked).find("PodDisruptionBudget"), std::string::npos) << all_output(blocked);
  EXPECT_FALSE(view(c.nodes())["w1"].unschedulable) << "kuphost must uncordon what it cordoned";
  const std::string journal = read_file(c.root("w1") / "var/lib/kuphost/journal.yaml");
  EXPECT_NE(journal.find(pod), std::string::npos) << "the journal should say why:\n" << journal;

  ASSERT_EQ(c.kubectl({"delete", "pdb", "keep-all", "-n", ns}).exit_code, 0);
  const auto rerun = c.apply("w1");
  EXPECT_EQ(rerun.exit_code, 0) << all_output(rerun);
  const auto nodes = view(c.nodes());
  EXPECT_EQ(nodes.at("w1").kubelet, "v1.31.2");
  EXPECT_FALSE(nodes.at("w1").unschedulable);
}

TEST(ClusterUpgrade, AKubeletThatNeverBecomesReadyTimesOutAndRollbackRestoresItsPackage) {
  SandboxCluster c("cp1:first-control-plane,w1:worker");
  upgrade_control_plane(c);
  c.edit_cluster([](YAML::Node &state) {
    for (auto node : state["nodes"])
      if (node["name"].as<std::string>() == "w1") node["kubeletNeverReady"] = true;
  });
  c.configure("w1", "kubeadm:\n  node-ready-timeout: 3s\n");
  const auto r = c.apply("w1");
  EXPECT_NE(r.exit_code, 0) << all_output(r);
  EXPECT_NE(all_output(r).find("is not Ready with kubelet v1.31.2 after 3s"), std::string::npos) << all_output(r);
  EXPECT_NE(all_output(r).find("Rolling back kubeadm/kubelet-kubectl-packages"), std::string::npos)
      << all_output(r);
  // The previous kubelet is installed and running again; the node is not left cordoned.
  const YAML::Node state = YAML::LoadFile((c.root("w1") / "var/lib/kuphost-sandbox/node.yaml").string());
  EXPECT_EQ(state["packages"]["kubelet"].as<std::string>(""), "1.30.5");
  EXPECT_EQ(state["runningKubeletVersion"].as<std::string>(""), "1.30.5");
  EXPECT_TRUE(state["heldPackages"].size() == 3) << "holds restored";
  const auto nodes = view(c.nodes());
  EXPECT_EQ(nodes.at("w1").kubelet, "v1.30.5");
  EXPECT_FALSE(nodes.at("w1").unschedulable);
}

TEST(ClusterUpgrade, ComponentConfigsNeedingAManualUpgradeStopApplyUntilReplacementsAreConfigured) {
  SandboxCluster c("cp1:first-control-plane,w1:worker");
  // kubeadm's own plan output when a component config API is out of date.
  write_file(c.root("cp1") / "var/lib/kuphost-sandbox/faults.yaml",
             "- match: \"kubeadm upgrade plan\"\n  exit: 0\n  stdout: |\n"
             "    [upgrade/versions] Target version: v1.31.2\n"
             "    API GROUP                 CURRENT VERSION   PREFERRED VERSION   MANUAL UPGRADE REQUIRED\n"
             "    kubeproxy.config.k8s.io   v1alpha1          v1alpha2            yes\n"
             "    kubelet.config.k8s.io     v1beta1           v1beta1             no\n");
  const auto stopped = c.apply("cp1");
  EXPECT_NE(stopped.exit_code, 0) << all_output(stopped);
  EXPECT_NE(all_output(stopped).find("kubeproxy.config.k8s.io v1alpha1 -> v1alpha2"), std::string::npos)
      << all_output(stopped);
  const auto version = c.kubectl({"version", "-o", "json"});
  EXPECT_EQ(YAML::Load(version.out)["serverVersion"]["gitVersion"].as<std::string>(""), "v1.30.5")
      << "the control plane must not change";
  const YAML::Node state = YAML::LoadFile((c.root("cp1") / "var/lib/kuphost-sandbox/node.yaml").string());
  EXPECT_EQ(state["packages"]["kubeadm"].as<std::string>(""), "1.30.5") << "kubeadm's package is rolled back";

  write_file(c.root("cp1") / "etc/kuphost/upgrade-config.yaml",
             "apiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\n---\n"
             "apiVersion: kubeproxy.config.k8s.io/v1alpha2\nkind: KubeProxyConfiguration\n");
  c.configure("cp1", "kubeadm:\n  upgrade-config: /etc/kuphost/upgrade-config.yaml\n");
  const auto applied = c.apply("cp1");
  EXPECT_EQ(applied.exit_code, 0) << all_output(applied);
  EXPECT_NE(commands_run(c, "cp1").find("kubeadm upgrade apply v1.31.2 --yes --config /etc/kuphost/upgrade-config.yaml"),
            std::string::npos)
      << commands_run(c, "cp1");
}

TEST(ClusterUpgrade, ForceAtTheRunningVersionRepairsThroughKubeadmUpgradeApplyForce) {
  SandboxCluster c("cp1:first-control-plane,w1:worker");
  upgrade_control_plane(c);
  const auto again = c.apply("cp1");
  EXPECT_NE(again.out.find("nothing changed"), std::string::npos) << all_output(again);
  const auto repaired = c.apply("cp1", "v1.31.2", {"--force"});
  EXPECT_EQ(repaired.exit_code, 0) << all_output(repaired);
  EXPECT_NE(commands_run(c, "cp1").find("kubeadm upgrade apply v1.31.2 --yes --force"), std::string::npos)
      << commands_run(c, "cp1");
  EXPECT_NE(repaired.out.find("re-applied with --force"), std::string::npos) << all_output(repaired);
}

// What the operator owns on every node: everything but kuphost's own journal
// and the logs that record the refused attempt.
TreeSnapshot operator_files(const SandboxCluster &c) {
  TreeSnapshot all = snapshot_tree(c.dir() / "nodes");
  for (auto it = all.begin(); it != all.end();) {
    const std::string &path = it->first;
    const bool own = path.find("/var/lib/kuphost") != std::string::npos ||
                     path.find("/var/log") != std::string::npos || path.find(".lock") != std::string::npos ||
                     path.find("fault-calls") != std::string::npos ||
                     // a running etcd member owns and writes its data dir
                     path.find("/var/lib/etcd") != std::string::npos;
    it = own ? all.erase(it) : std::next(it);
  }
  return all;
}

struct Refusal {
  const char *node, *target, *rule, *fix;
};

TEST(ClusterUpgrade, SkewPolicyRefusalsNameTheRuleAndTheFixAndChangeNothing) {
  SandboxCluster c("cp1:first-control-plane,w1:worker");
  const Refusal refusals[] = {
      {"cp1", "v1.32.0", "SkippedMinor", "upgrade to v1.31.x first"},
      {"cp1", "v1.29.9", "MinorDowngrade", "--force"},
      {"w1", "v1.31.2", "ControlPlaneFirst", "upgrade the control plane first"},
  };
  for (const auto &refusal : refusals) {
    const auto before = operator_files(c);
    const auto cluster_before = read_file(c.dir() / "cluster/cluster.yaml");
    const auto r = c.apply(refusal.node, refusal.target);
    EXPECT_NE(r.exit_code, 0) << refusal.rule << ": " << all_output(r);
    EXPECT_NE(all_output(r).find(refusal.rule), std::string::npos) << all_output(r);
    EXPECT_NE(all_output(r).find(refusal.fix), std::string::npos) << refusal.rule << ": " << all_output(r);
    EXPECT_EQ(diff_trees(before, operator_files(c)), "") << refusal.rule;
    EXPECT_EQ(read_file(c.dir() / "cluster/cluster.yaml"), cluster_before) << refusal.rule;
  }
  // A refused target leaves nothing half-done that would block the right one.
  upgrade_control_plane(c);
  const auto w1 = c.apply("w1");
  EXPECT_EQ(w1.exit_code, 0) << all_output(w1);
}

TEST(ClusterUpgrade, AWorkerDrainsWithTheKubeconfigTheOperatorPasses) {
  SandboxCluster c("cp1:first-control-plane,w1:worker");
  upgrade_control_plane(c);
  const auto missing = c.apply("w1", "v1.31.2", {"--kubeconfig", "/root/.kube/config"});
  EXPECT_EQ(missing.exit_code, 2) << all_output(missing);
  EXPECT_NE(missing.err.find("--kubeconfig /root/.kube/config is not a file on node w1"), std::string::npos)
      << missing.err;

  fs::create_directories(c.root("w1") / "root/.kube");
  fs::copy_file(c.root("cp1") / "etc/kubernetes/admin.conf", c.root("w1") / "root/.kube/config");
  const auto r = c.apply("w1", "v1.31.2", {"--kubeconfig", "/root/.kube/config"});
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  // The cordon of w1 was made with the admin credentials, not the kubelet's.
  bool patched_as_admin = false;
  for (const auto &line : read_lines(c.dir() / "cluster/apiserver-audit.log")) {
    const YAML::Node entry = YAML::Load(line);
    if (entry["method"].as<std::string>("") == "PATCH" &&
        entry["path"].as<std::string>("").rfind("/api/v1/nodes/w1", 0) == 0) {
      EXPECT_EQ(entry["user"].as<std::string>(""), "kubernetes-admin") << line;
      patched_as_admin = true;
    }
  }
  EXPECT_TRUE(patched_as_admin);
}

// Cordon intervals from the server's record must never overlap.
void expect_never_two_cordoned(const std::vector<YAML::Node> &history) {
  std::map<std::string, bool> cordoned;
  int most = 0;
  for (const auto &line : history) {
    cordoned[line["node"].as<std::string>()] = line["unschedulable"].as<bool>();
    int now = 0;
    for (const auto &[node, on] : cordoned) now += on ? 1 : 0;
    most = std::max(most, now);
  }
  EXPECT_EQ(most, 1) << "two workers were cordoned at the same time";
}

TEST(ClusterUpgrade, TwoWorkersStartedTogetherWithOneSlotAreNeverCordonedAtTheSameTime) {
  SandboxCluster c("cp1:first-control-plane,w1:worker,w2:worker");
  upgrade_control_plane(c);
  for (const std::string w : {"w1", "w2"}) c.configure(w, "kubeadm:\n  upgrade-slot-lease: 5s\n");
  ProcessResult r1, r2;
  std::thread t1([&] { r1 = c.apply("w1"); });
  std::thread t2([&] { r2 = c.apply("w2"); });
  t1.join();
  t2.join();
  EXPECT_EQ(r1.exit_code, 0) << all_output(r1);
  EXPECT_EQ(r2.exit_code, 0) << all_output(r2);
  EXPECT_NE((all_output(r1) + all_output(r2)).find("waiting for an upgrade slot"), std::string::npos)
      << "one worker should have waited for the other";
  const auto history = c.cordon_history();
  const auto of_workers = std::count_if(history.begin(), history.end(), [](const YAML::Node &line) {
    return line["node"].as<std::string>() != "cp1";
  });
  EXPECT_EQ(of_workers, 4) << "a cordon and an uncordon per worker";
  expect_never_two_cordoned(history);
  for (const auto &[name, v] : view(c.nodes())) EXPECT_EQ(v.kubelet, "v1.31.2") << name;
}

// Starts argv in its own process group with output to `log`; returns its pid.
pid_t spawn_in_group(const std::vector<std::string> &argv, const fs::path &log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  std::vector<std::string> store = argv;
  store.push_back("KUPHOST_PLUGIN_PATH=");
  std::vector<char *> args, env;
  for (size_t i = 0; i + 1 < store.size(); ++i) args.push_back(store[i].data());
  args.push_back(nullptr);
  for (char **e = environ; *e; ++e) env.push_back(*e);
  env.push_back(store.back().data());
  env.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

TEST(ClusterUpgrade, ASlotHeldByANodeKilledWithSigkillIsTakenByAnotherAfterItExpires) {
  SandboxCluster c("cp1:first-control-plane,w1:worker,w2:worker");
  upgrade_control_plane(c);
  for (const std::string w : {"w1", "w2"}) c.configure(w, "kubeadm:\n  upgrade-slot-lease: 3s\n");
  // w1 hangs in its kubelet package install, after the drain took the slot.
  write_file(c.root("w1") / "var/lib/kuphost-sandbox/faults.yaml",
             "- match: \"apt-get install\"\n  after: 1\n  hang_seconds: 120\n");
  const fs::path log = c.dir() / "w1-apply.log";
  const pid_t w1 = spawn_in_group(c.apply_argv("w1"), log);
  ASSERT_GT(w1, 0);
  std::string holder;
  for (int i = 0; i < 300 && holder != "w1"; ++i) {
    std::this_thread::sleep_for(100ms);
    const auto r = c.kubectl(
        {"get", "lease", "kuphost-upgrade-worker-0", "-n", "kube-system", "-o", "jsonpath={.spec.holderIdentity}"});
    holder = r.exit_code == 0 ? r.out : "";
  }
  ASSERT_EQ(holder, "w1") << read_file(log);
  ::kill(-w1, SIGKILL);
  int status = 0;
  ::waitpid(w1, &status, 0);

  const auto start = std::chrono::steady_clock::now();
  const auto r2 = c.apply("w2");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r2.exit_code, 0) << all_output(r2);
  EXPECT_NE(all_output(r2).find("taking over upgrade slot kuphost-upgrade-worker-0 from w1"), std::string::npos)
      << all_output(r2);
  EXPECT_GE(waited, 1s) << "w2 must wait for w1's lease to expire";
  EXPECT_EQ(view(c.nodes()).at("w2").kubelet, "v1.31.2");
}

}  // namespace
}  // namespace kuphost::test
