// The windows-node phases against a recording RemoteShell that plays a
// Windows node, kubectl faked on the admin machine, and the host's real
// PluginHost (state, dry-run, clock) over a temporary root.
#include <gtest/gtest.h>

#include <algorithm>

#include "node_host.h"
#include "windows_fakes.h"
#include "windows_upgrade.h"

namespace kuphost::test {
namespace {

using kuphost_plugins::windows_node::WindowsSettings;
using kuphost_plugins::windows_node::WindowsUpgrade;

bool starts_with_any(const std::vector<std::string> &steps, const std::vector<std::string> &prefixes) {
  return std::any_of(steps.begin(), steps.end(), [&](const std::string &s) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string &p) { return s.rfind(p, 0) == 0; });
  });
}

class WindowsUpgradeTest : public ::testing::Test {
 protected:
  void make(RunMode mode = RunMode::kApply) {
    host_ = std::make_unique<NodeHost>(mode, &kubectl_);
    kubectl_.events = &events_;
    shell_.dry_run = mode == RunMode::kDryRun;
    shell_.respond = [this](const std::string &step, const std::string &script) {
      events_.push_back(step);
      return node_.answer(step, script);
    };
    settings_.node_name = "win1";
    settings_.ssh.host = "win1";
    upgrade_ = std::make_unique<WindowsUpgrade>(host_->host(), settings_, shell_);
  }
  // Applies the phases up to and including `last`; returns the failing
  // phase's error, or "" when all succeeded.
  std::string apply_through(const std::string &last = "kubelet-restart", bool dry_run = false) {
    using Apply = void (WindowsUpgrade::*)(const kup::Call &);
    const std::pair<const char *, Apply> phases[] = {{"stage-binaries", &WindowsUpgrade::apply_download},
                                                     {"drain", &WindowsUpgrade::apply_drain},
                                                     {"upgrade-node", &WindowsUpgrade::apply_upgrade_node},
                                                     {"binaries", &WindowsUpgrade::apply_binaries},
                                                     {"kubelet-restart", &WindowsUpgrade::apply_restart}};
    for (const auto &[id, apply] : phases) {
      PhaseCall call(id, "v1.31.2", dry_run);
      try {
        ((*upgrade_).*apply)(call.call());
      } catch (const kup::Error &e) {
        return std::string(id) + ": " + e.what();
      }
      outcomes_[id] = call.outcome;
      if (id == last) break;
    }
    return "";
  }
  void roll_back(const std::vector<std::string> &ids) {
    for (const auto &id : ids) {
      PhaseCall call(id);
      if (id == "stage-binaries") upgrade_->rollback_download(call.call());
      if (id == "drain") upgrade_->rollback_drain(call.call());
      if (id == "upgrade-node") upgrade_->rollback_upgrade_node(call.call());
      if (id == "binaries") upgrade_->rollback_binaries(call.call());
    }
  }
  bool kubectl_ran(const std::string &verb) const {
    return std::any_of(kubectl_.calls.begin(), kubectl_.calls.end(), [&](const auto &argv) {
      return std::find(argv.begin(), argv.end(), verb) != argv.end();
    });
  }

  FakeNodeStatus status_;
  FakeKubectl kubectl_{status_};
  FakeWindowsNode node_{status_};
  RecordingShell shell_;
  WindowsSettings settings_;
  std::unique_ptr<NodeHost> host_;
  std::unique_ptr<WindowsUpgrade> upgrade_;
  std::vector<std::string> events_;
  std::map<std::string, int> outcomes_;
};

TEST_F(WindowsUpgradeTest, FullUpgradeFollowsTheWindowsPageAndChecksEverythingBeforeTheDrain) {
  make();
  ASSERT_EQ(apply_through(), "");
  const std::vector<std::string> expected{
      "probe",          "fetch-checksum kubeadm.exe", "fetch kubeadm.exe",   "fetch-checksum kubelet.exe",
      "fetch kubelet.exe", "fetch-checksum kube-proxy.exe", "fetch kube-proxy.exe", "kubectl drain",
      "backup",         "replace kubeadm.exe",        "upgrade-node",        "stop-services",
      "replace kubelet.exe", "replace kube-proxy.exe", "start-services",     "remove-dir"};
  EXPECT_EQ(events_, expected);
  for (const auto &[name, content] : node_.files) EXPECT_EQ(content, node_.mirror[name]) << name;
  for (const char *name : {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe"})
    EXPECT_NE(node_.backup[name].find("v1.30.5"), std::string::npos) << name;
  EXPECT_EQ(status_.kubelet_version, "v1.31.2");
  EXPECT_TRUE(status_.ready);
  EXPECT_EQ(host_->host().shared_state_get("node/cordoned-before"), "false");
  // kubectl runs with the admin machine's admin.conf when the host names no kubeconfig.
  EXPECT_EQ(kubectl_.calls.front()[2], "/etc/kubernetes/admin.conf");
  // The staging and backup dirs carry the host clock's time (FakeClock: 2026-05-28 20:26:40 UTC).
  const auto backup = std::find_if(shell_.sent.begin(), shell_.sent.end(), [](const auto &s) { return s.step == "backup"; });
  EXPECT_NE(backup->script.find("C:\\k\\kuphost-backup-20260528-202640"), std::string::npos) << backup->script;
}

TEST_F(WindowsUpgradeTest, ChecksumMismatchIsRefusedBeforeAnythingIsDrainedOrReplaced) {
  make();
  node_.mirror["kubelet.exe"] = "kubelet v1.31.2 with something else inside";
  const auto before = node_.files;
  const std::string error = apply_through("stage-binaries");
  EXPECT_NE(error.find("kubelet.exe"), std::string::npos) << error;
  EXPECT_NE(error.find("expected " + digest_of("kubelet v1.31.2")), std::string::npos) << error;
  EXPECT_NE(error.find("got " + digest_of(node_.mirror["kubelet.exe"])), std::string::npos) << error;
  EXPECT_NE(error.find("nothing on the node was replaced"), std::string::npos) << error;
  EXPECT_FALSE(starts_with_any(shell_.steps(), {"backup", "replace", "stop-services", "upgrade-node"}));
  EXPECT_EQ(node_.files, before);
  EXPECT_FALSE(kubectl_ran("drain"));
}

TEST_F(WindowsUpgradeTest, BinariesAlreadyAtTheTargetAreKeptSoARerunRecovers) {
  node_.files["kubeadm.exe"] = "kubeadm v1.31.2";
  make();
  ASSERT_EQ(apply_through(), "");
  const auto steps = shell_.steps();
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "fetch kubeadm.exe"), 0);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "replace kubeadm.exe"), 0);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "replace kubelet.exe"), 1);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "upgrade-node"), 1);
}

TEST_F(WindowsUpgradeTest, ANewKubeletAloneStillStopsKubeProxyFirstAndStartsItAfter) {
  node_.files["kube-proxy.exe"] = "kube-proxy v1.31.2";
  make();
  ASSERT_EQ(apply_through(), "");
  const auto stop = std::find_if(shell_.sent.begin(), shell_.sent.end(), [](const auto &s) { return s.step == "stop-services"; });
  ASSERT_NE(stop, shell_.sent.end());
  EXPECT_LT(stop->script.find("Stop-Service -Name kube-proxy"), stop->script.find("Stop-Service -Name kubelet"));
  EXPECT_FALSE(starts_with_any(shell_.steps(), {"replace kube-proxy"}));
  EXPECT_TRUE(node_.running["kube-proxy"]);
  EXPECT_EQ(status_.kubelet_version, "v1.31.2");
}

TEST_F(WindowsUpgradeTest, ANodeAtTheTargetIsNeitherDrainedNorRestarted) {
  for (auto &[name, content] : node_.files) content = node_.mirror[name];
  status_.kubelet_version = "v1.31.2";
  make();
  ASSERT_EQ(apply_through(), "");
  EXPECT_FALSE(kubectl_ran("drain"));
  EXPECT_FALSE(starts_with_any(shell_.steps(), {"fetch kube", "replace", "stop-services", "start-services"}));
  EXPECT_EQ(outcomes_["stage-binaries"], KUP_OUTCOME_UNCHANGED);
  EXPECT_EQ(outcomes_["drain"], KUP_OUTCOME_UNCHANGED);
  EXPECT_EQ(outcomes_["binaries"], KUP_OUTCOME_UNCHANGED);
  EXPECT_EQ(outcomes_["kubelet-restart"], KUP_OUTCOME_UNCHANGED);
}

TEST_F(WindowsUpgradeTest, KubeProxyAsADaemonSetIsLeftAlone) {
  node_.kube_proxy_service = false;
  make();
  ASSERT_EQ(apply_through(), "");
  EXPECT_FALSE(starts_with_any(shell_.steps(), {"fetch kube-proxy", "fetch-checksum kube-proxy", "replace kube-proxy"}));
  EXPECT_EQ(node_.files["kube-proxy.exe"], "kube-proxy v1.30.5");
  for (const auto &s : shell_.sent) EXPECT_EQ(s.script.find("-Name kube-proxy\n"), std::string::npos) << s.script;
}

TEST_F(WindowsUpgradeTest, KubeletThatNeverBecomesReadyIsRolledBack) {
  node_.never_ready = true;
  settings_.ready_timeout_ms = 10 * 1000;
  make();
  const int64_t start = host_->h.clock.now_;
  const std::string error = apply_through();
  EXPECT_EQ(error.rfind("kubelet-restart: win1 is not Ready with kubelet v1.31.2 after 10s", 0), 0u) << error;
  EXPECT_GE(host_->h.clock.now_ - start, 10 * 1000);  // waited on the host clock
  // What the executor does next: the applied phases, newest first.
  roll_back({"binaries", "upgrade-node", "drain", "stage-binaries"});
  EXPECT_EQ(node_.files["kubelet.exe"], "kubelet v1.30.5");
  EXPECT_EQ(node_.files["kube-proxy.exe"], "kube-proxy v1.30.5");
  EXPECT_EQ(node_.files["kubeadm.exe"], "kubeadm v1.30.5");
  EXPECT_TRUE(node_.running["kubelet"]);
  EXPECT_TRUE(node_.running["kube-proxy"]);
  EXPECT_EQ(status_.kubelet_version, "v1.30.5");
  EXPECT_TRUE(status_.ready);
  EXPECT_FALSE(status_.cordoned);
  EXPECT_EQ(events_.back(), "remove-dir");
}

TEST_F(WindowsUpgradeTest, RollbackKeepsTheOperatorsOwnCordon) {
  status_.cordoned = true;
  make();
  ASSERT_EQ(apply_through("drain"), "");
  roll_back({"drain"});
  EXPECT_TRUE(status_.cordoned);
  EXPECT_FALSE(kubectl_ran("uncordon"));
  EXPECT_EQ(host_->host().shared_state_get("node/cordoned-before"), "true");
}

TEST_F(WindowsUpgradeTest, DryRunChangesNothing) {
  make(RunMode::kDryRun);
  ASSERT_EQ(apply_through("kubelet-restart", /*dry_run=*/true), "");
  EXPECT_EQ(shell_.steps(), std::vector<std::string>{"probe"});  // only the read-only probe ran
  EXPECT_GT(shell_.sent.size(), 10u);                             // the rest was shown
  EXPECT_EQ(node_.files["kubelet.exe"], "kubelet v1.30.5");
  EXPECT_FALSE(kubectl_ran("drain"));  // the host showed it instead
  EXPECT_FALSE(status_.cordoned);
}

TEST_F(WindowsUpgradeTest, AirGappedDirectoryIsCheckedHereThenCopiedAndCheckedOnTheNode) {
  make();
  for (const char *name : {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe"}) {
    host_->write(std::string("/opt/windows-bin/") + name, node_.mirror[name]);
    host_->write(std::string("/opt/windows-bin/") + name + ".sha256", digest_of(node_.mirror[name]) + "\n");
  }
  settings_.binaries_from = "/opt/windows-bin";
  upgrade_ = std::make_unique<WindowsUpgrade>(host_->host(), settings_, shell_);
  shell_.on_copy = [this](const std::string &local, const std::string &remote) {
    const std::string name = remote.substr(remote.rfind('/') + 1);
    node_.staged[name] = read_file(local);
  };
  ASSERT_EQ(apply_through("stage-binaries"), "");
  ASSERT_EQ(shell_.copies.size(), 6u);
  EXPECT_EQ(shell_.copies[0].first, (host_->h.root / "opt/windows-bin/kubeadm.exe").string());
  EXPECT_EQ(shell_.copies[0].second.rfind("C:/k/kuphost-staging-", 0), 0u) << shell_.copies[0].second;
  const auto steps = shell_.steps();
  EXPECT_FALSE(starts_with_any(steps, {"fetch"}));
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "verify kubelet.exe"), 1);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "make-dir"), 3);
}

TEST_F(WindowsUpgradeTest, AirGappedMismatchIsRefusedBeforeAnyCopy) {
  make();
  for (const char *name : {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe"}) {
    host_->write(std::string("/opt/windows-bin/") + name, node_.mirror[name]);
    host_->write(std::string("/opt/windows-bin/") + name + ".sha256", digest_of(node_.mirror[name]) + "\n");
  }
  host_->write("/opt/windows-bin/kubeadm.exe", "not what was published");
  settings_.binaries_from = "/opt/windows-bin";
  upgrade_ = std::make_unique<WindowsUpgrade>(host_->host(), settings_, shell_);
  const std::string error = apply_through("stage-binaries");
  EXPECT_NE(error.find("kubeadm.exe in /opt/windows-bin does not match its .sha256: expected " +
                       digest_of("kubeadm v1.31.2") + ", got " + digest_of("not what was published")),
            std::string::npos)
      << error;
  EXPECT_TRUE(shell_.copies.empty());
}

}  // namespace
}  // namespace kuphost::test
