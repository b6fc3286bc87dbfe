// The simulated systemctl: exit codes, output and effects on the kubelet.
#include <thread>

#include <gtest/gtest.h>

#include "kuphost/sandbox/apiserver.h"
#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

class SystemctlTest : public ::testing::Test {
 protected:
  void SetUp() override { sb_ = make_sandbox(test_spec(tmp_.path() / "sb")); }
  const Node &w1() { return *sb_.find("w1"); }
  RunResult systemctl(const std::vector<std::string> &args) { return run_on(w1(), "systemctl", args); }

  TempDir tmp_;
  Sandbox sb_;
};

TEST_F(SystemctlTest, IsActiveFollowsStopAndStart) {
  auto r = systemctl({"is-active", "kubelet"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "active\n");
  EXPECT_EQ(systemctl({"stop", "kubelet.service"}).exit_code, 0);
  r = systemctl({"is-active", "kubelet"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "inactive\n");
  r = systemctl({"is-active", "-q", "kubelet"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(cluster_node(sb_, "w1")["ready"].as<bool>());
  EXPECT_EQ(systemctl({"start", "kubelet"}).exit_code, 0);
  EXPECT_EQ(systemctl({"--no-pager", "is-active", "kubelet"}).exit_code, 0);
  EXPECT_TRUE(cluster_node(sb_, "w1")["ready"].as<bool>());
}

TEST_F(SystemctlTest, RestartRunsTheInstalledKubelet) {
  install_package(w1(), "kubelet", "1.31.2");
  EXPECT_EQ(run_on(w1(), "kubelet", {"--version"}).out, "Kubernetes v1.31.2\n");
  EXPECT_EQ(cluster_node(sb_, "w1")["kubeletVersion"].as<std::string>(), "v1.30.5");  // not restarted yet
  ASSERT_EQ(systemctl({"daemon-reload"}).exit_code, 0);
  ASSERT_EQ(systemctl({"restart", "kubelet"}).exit_code, 0);
  EXPECT_EQ(cluster_node(sb_, "w1")["kubeletVersion"].as<std::string>(), "v1.31.2");
  EXPECT_TRUE(cluster_node(sb_, "w1")["ready"].as<bool>());
  EXPECT_EQ(YAML::LoadFile(node_yaml(w1()).string())["runningKubeletVersion"].as<std::string>(), "1.31.2");
}

TEST_F(SystemctlTest, UnknownUnitIsNotFound) {
  auto r = systemctl({"restart", "nope"});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_EQ(r.err, "Failed to restart nope.service: Unit nope.service not found.\n");
  r = systemctl({"status", "nope"});
  EXPECT_EQ(r.exit_code, 4);
  r = systemctl({"is-active", "nope"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "inactive\n");
}

TEST_F(SystemctlTest, ShowIsEnabledAndStatus) {
  EXPECT_EQ(systemctl({"show", "-p", "ActiveState", "--value", "kubelet"}).out, "active\n");
  EXPECT_EQ(systemctl({"show", "--property=ActiveState", "kubelet"}).out, "ActiveState=active\n");
  auto r = systemctl({"is-enabled", "kubelet"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "enabled\n");
  r = systemctl({"status", "--no-pager", "kubelet"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "Active: active (running)")) << r.out;
}

TEST_F(SystemctlTest, AFailingUnitEndsFailed) {
  set_unit_field(w1(), "kubelet", "failOnStart", true);
  auto r = systemctl({"restart", "kubelet"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Job for kubelet.service failed because the control process exited with error code."));
  r = systemctl({"is-active", "kubelet"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "failed\n");
  EXPECT_FALSE(cluster_node(sb_, "w1")["ready"].as<bool>());
}

TEST_F(SystemctlTest, ChangedUnitFilesWarnUntilDaemonReload) {
  set_unit_field(w1(), "kubelet", "needsDaemonReload", true);
  auto r = systemctl({"restart", "kubelet"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.err, "Run 'systemctl daemon-reload' to reload units."));
  ASSERT_EQ(systemctl({"daemon-reload"}).exit_code, 0);
  EXPECT_EQ(systemctl({"restart", "kubelet"}).err, "");
}

// Node commands running at once must not lose each other's cluster.yaml updates.
TEST_F(SystemctlTest, ConcurrentCommandsKeepEveryUpdate) {
  const Node &cp1 = *sb_.find("cp1");
  install_package(w1(), "kubelet", "1.31.2");
  // kubectl is the real one, against the sandbox's API server.
  ::setenv("KUBECACHEDIR", (sb_.dir / "kube-cache").c_str(), 1);
  std::string message, error;
  ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  struct Down {
    const fs::path dir;
    ~Down() { apiserver_down(dir, nullptr, nullptr); }
  } down{sb_.dir};
  const std::string admin = "--kubeconfig=/etc/kubernetes/admin.conf";
  for (int round = 0; round < 4; ++round) {
    std::vector<std::thread> threads;
    threads.emplace_back([&] { run_on(cp1, "kubectl", {admin, "cordon", "cp1"}); });
    threads.emplace_back([&] { run_on(cp1, "kubectl", {admin, "cordon", "w1"}); });
    threads.emplace_back([&] { run_on(w1(), "systemctl", {"restart", "kubelet"}); });
    for (auto &t : threads) t.join();
    EXPECT_TRUE(cluster_node(sb_, "cp1")["unschedulable"].as<bool>()) << round;
    EXPECT_TRUE(cluster_node(sb_, "w1")["unschedulable"].as<bool>()) << round;
    EXPECT_EQ(cluster_node(sb_, "w1")["kubeletVersion"].as<std::string>(), "v1.31.2") << round;
    run_on(cp1, "kubectl", {admin, "uncordon", "cp1", "w1"});
    run_on(w1(), "systemctl", {"stop", "kubelet"});
    YAML::Node doc = YAML::LoadFile(cluster_yaml(sb_).string());
    for (auto n : doc["nodes"]) n["kubeletVersion"] = "v1.30.5";
    YAML::Emitter out;
    out << doc;
    write_text(cluster_yaml(sb_), out.c_str());
  }
}

}  // namespace
}  // namespace kuphost::sandbox::testing
