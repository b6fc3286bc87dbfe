// commands.log and fault injection through faults.yaml.
#include <chrono>

#include <gtest/gtest.h>

#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

class FaultsTest : public ::testing::Test {
 protected:
  void SetUp() override { sb_ = make_sandbox(test_spec(tmp_.path() / "sb")); }
  const Node &cp1() { return *sb_.find("cp1"); }
  void faults(const std::string &yaml) { write_text(cp1().root / "var/lib/kuphost-sandbox/faults.yaml", yaml); }

  TempDir tmp_;
  Sandbox sb_;
};

TEST_F(FaultsTest, EveryCallIsLoggedWithItsArguments) {
  run_on(cp1(), "kubeadm", {"version", "-o", "short"});
  run_on(cp1(), "systemctl", {"is-active", "kubelet"});
  run_on(cp1(), "kubectl", {"get", "nodes", "--selector", "a b"});
  run_on(cp1(), "systemctl", {"restart", "nope"});  // failing calls are logged too
  EXPECT_EQ(read_text(cp1().root / "var/log/kuphost-sandbox/commands.log"),
            "kubeadm version -o short\n"
            "systemctl is-active kubelet\n"
            "kubectl get nodes --selector 'a b'\n"
            "systemctl restart nope\n");
  EXPECT_FALSE(fs::exists(sb_.find("w1")->root / "var/log/kuphost-sandbox/commands.log"));
}

TEST_F(FaultsTest, FailsTheMatchingCallAfterN) {
  faults("- match: \"kubeadm upgrade apply\"\n  after: 1\n  times: 1\n  exit: 3\n  stderr: \"boom: injected\"\n");
  const std::vector<std::string> apply{"upgrade", "apply", "v1.30.5", "--dry-run"};
  auto r = run_on(cp1(), "kubeadm", apply);
  EXPECT_EQ(r.exit_code, 0) << r.err;  // the first matching call passes
  r = run_on(cp1(), "kubeadm", apply);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "boom: injected\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(run_on(cp1(), "kubeadm", {"version", "-o", "short"}).exit_code, 0);  // other commands untouched
  EXPECT_EQ(run_on(cp1(), "kubeadm", apply).exit_code, 0);  // times: 1 is used up
}

TEST_F(FaultsTest, WithoutAfterTheFirstCallFailsAndKeepsFailing) {
  faults("- match: \"systemctl restart kubelet\"\n  stderr: \"Job for kubelet.service failed.\"\n");
  for (int i = 0; i < 2; ++i) {
    const auto r = run_on(cp1(), "systemctl", {"restart", "kubelet"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "Job for kubelet.service failed.\n");
  }
  EXPECT_EQ(run_on(cp1(), "systemctl", {"restart", "containerd"}).exit_code, 0);
}

TEST_F(FaultsTest, HangDelaysThenRunsNormally) {
  faults("- match: \"kubelet --version\"\n  hang_seconds: 1\n");
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_on(cp1(), "kubelet", {"--version"});
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(950));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "Kubernetes v1.30.5\n");
}

TEST_F(FaultsTest, MalformedFaultsFileIsReported) {
  faults("- stderr: no match key\n");
  const auto r = run_on(cp1(), "kubelet", {"--version"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "faults.yaml")) << r.err;
}

// kuphost runs node commands by name with PATH set to the node's usr/bin, so
// argv[0] has no slash; /usr/bin/env does that lookup here, without a shell.
TEST_F(FaultsTest, FindsItsNodeThroughPathLookup) {
  const auto r = run({"/usr/bin/env", "PATH=" + (cp1().root / "usr/bin").string(), "kubeadm", "version", "-o", "short"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "v1.30.5\n");
  EXPECT_EQ(read_text(cp1().root / "var/log/kuphost-sandbox/commands.log"), "kubeadm version -o short\n");
}

TEST_F(FaultsTest, RefusesToRunOutsideASandboxNode) {
  const auto r = run({node_sim_path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "sandbox node"));
}

TEST_F(FaultsTest, UninstalledPackageHasNoCommand) {
  YAML::Node state = YAML::LoadFile(node_yaml(cp1()).string());
  state["packages"].remove("kubectl");
  YAML::Emitter out;
  out << state;
  write_text(node_yaml(cp1()), out.c_str());
  const auto r = run_on(cp1(), "kubectl", {"version", "--client"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_TRUE(contains(r.err, "command not found"));
}

}  // namespace
}  // namespace kuphost::sandbox::testing
