// The simulated kubectl against cluster.yaml.
#include <regex>

#include <gtest/gtest.h>

#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override { sb_ = make_sandbox(test_spec(tmp_.path() / "sb")); }
  const Node &cp1() { return *sb_.find("cp1"); }
  RunResult kubectl(const std::vector<std::string> &args) {
    std::vector<std::string> full{"--kubeconfig", "/etc/kubernetes/admin.conf"};
    full.insert(full.end(), args.begin(), args.end());
    return run_on(cp1(), "kubectl", full);
  }
  std::vector<std::string> pods_on(const std::string &node, const std::string &owner_kind) {
    std::vector<std::string> out;
    for (const auto &p : cluster_node(sb_, node)["pods"])
      if (p["ownerKind"].as<std::string>() == owner_kind) out.push_back(p["name"].as<std::string>());
    return out;
  }

  TempDir tmp_;
  Sandbox sb_;
};

TEST_F(KubectlTest, GetNodesPrintsKubectlsTable) {
  const auto r = kubectl({"get", "nodes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^NAME +STATUS +ROLES +AGE +VERSION\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\ncp1 +Ready +control-plane +\d+s +v1\.30\.5\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\nw1 +Ready +<none> +\d+s +v1\.30\.5\n)"))) << r.out;
  const auto wide = kubectl({"get", "nodes", "-o", "wide"});
  EXPECT_TRUE(contains(wide.out, "INTERNAL-IP")) << wide.out;
  EXPECT_TRUE(contains(wide.out, "Ubuntu 24.04.1 LTS"));
}

TEST_F(KubectlTest, GetNodeJsonIsANodeObject) {
  auto r = kubectl({"get", "node", "w1", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const YAML::Node node = YAML::Load(r.out);
  EXPECT_EQ(node["kind"].as<std::string>(), "Node");
  EXPECT_EQ(node["metadata"]["name"].as<std::string>(), "w1");
  EXPECT_EQ(node["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.30.5");
  EXPECT_FALSE(node["spec"]["unschedulable"]);
  r = kubectl({"get", "nodes", "-o", "json"});
  const YAML::Node list = YAML::Load(r.out);
  EXPECT_EQ(list["kind"].as<std::string>(), "List");
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_EQ(list["items"][0]["metadata"]["labels"]["node-role.kubernetes.io/control-plane"].as<std::string>(), "");
}

TEST_F(KubectlTest, GetUnknownNodeIsNotFound) {
  const auto r = kubectl({"get", "node", "nope", "-o", "json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error from server (NotFound): nodes \"nope\" not found\n");
}

TEST_F(KubectlTest, CordonAndUncordon) {
  auto r = kubectl({"cordon", "w1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "node/w1 cordoned\n");
  EXPECT_TRUE(cluster_node(sb_, "w1")["unschedulable"].as<bool>());
  EXPECT_TRUE(std::regex_search(kubectl({"get", "nodes"}).out, std::regex(R"(\nw1 +Ready,SchedulingDisabled +<none>)")));
  EXPECT_TRUE(YAML::Load(kubectl({"get", "node", "w1", "-o", "json"}).out)["spec"]["unschedulable"].as<bool>());
  EXPECT_EQ(kubectl({"cordon", "w1"}).out, "node/w1 already cordoned\n");
  r = kubectl({"uncordon", "w1"});
  EXPECT_EQ(r.out, "node/w1 uncordoned\n");
  EXPECT_FALSE(cluster_node(sb_, "w1")["unschedulable"].as<bool>());
  EXPECT_EQ(kubectl({"uncordon", "w1"}).out, "node/w1 already uncordoned\n");
  EXPECT_EQ(kubectl({"cordon", "nope"}).exit_code, 1);
}

TEST_F(KubectlTest, DrainWithoutIgnoreDaemonsetsRefusesAndLeavesTheNodeCordoned) {
  const auto r = kubectl({"drain", "w1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "node/w1 cordoned\n");
  EXPECT_TRUE(std::regex_search(r.err, std::regex("error: unable to drain node \"w1\" due to error:cannot delete "
                                                  "DaemonSet-managed Pods \\(use --ignore-daemonsets to ignore\\): "
                                                  "kube-system/kube-proxy-[a-z0-9]{5}, continuing command...")))
      << r.err;
  EXPECT_TRUE(contains(r.err, "There are pending nodes to be drained:\n w1\n"));
  EXPECT_TRUE(cluster_node(sb_, "w1")["unschedulable"].as<bool>());
  EXPECT_EQ(pods_on("w1", "ReplicaSet").size(), 2u);
}

TEST_F(KubectlTest, DrainEvictsPodsThatMoveToAnotherNode) {
  const auto coredns = pods_on("w1", "ReplicaSet");
  ASSERT_EQ(coredns.size(), 2u);
  const auto r = kubectl({"drain", "w1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=5m"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.rfind("node/w1 cordoned\n", 0) == 0) << r.out;
  for (const auto &pod : coredns) {
    EXPECT_TRUE(contains(r.out, "evicting pod kube-system/" + pod + "\n")) << r.out;
    EXPECT_TRUE(contains(r.out, "pod/" + pod + " evicted\n"));
  }
  EXPECT_TRUE(r.out.size() >= 16 && r.out.substr(r.out.size() - 16) == "node/w1 drained\n") << r.out;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-")))
      << r.err;
  EXPECT_TRUE(pods_on("w1", "ReplicaSet").empty());
  EXPECT_EQ(pods_on("w1", "DaemonSet").size(), 1u);
  EXPECT_EQ(pods_on("cp1", "ReplicaSet").size(), 2u);  // the ReplicaSet recreated them
  EXPECT_TRUE(cluster_node(sb_, "w1")["unschedulable"].as<bool>());
}

TEST_F(KubectlTest, DrainRefusesEmptyDirPodsWithoutTheFlag) {
  YAML::Node doc = YAML::LoadFile(cluster_yaml(sb_).string());
  for (auto n : doc["nodes"])
    for (auto p : n["pods"])
      if (p["ownerKind"].as<std::string>() == "ReplicaSet") p["emptyDir"] = true;
  YAML::Emitter out;
  out << doc;
  write_text(cluster_yaml(sb_), out.c_str());
  const auto r = kubectl({"drain", "w1", "--ignore-daemonsets"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "cannot delete Pods with local storage (use --delete-emptydir-data to override)"))
      << r.err;
}

TEST_F(KubectlTest, EvictedPodsWaitUntilANodeIsSchedulable) {
  ASSERT_EQ(kubectl({"cordon", "cp1"}).exit_code, 0);
  ASSERT_EQ(kubectl({"drain", "w1", "--ignore-daemonsets"}).exit_code, 0);
  EXPECT_EQ(YAML::LoadFile(cluster_yaml(sb_).string())["pendingPods"].size(), 2u);
  ASSERT_EQ(kubectl({"uncordon", "w1"}).exit_code, 0);
  EXPECT_EQ(YAML::LoadFile(cluster_yaml(sb_).string())["pendingPods"].size(), 0u);
  EXPECT_EQ(pods_on("w1", "ReplicaSet").size(), 2u);
}

TEST_F(KubectlTest, VersionReportsTheInstalledClient) {
  auto r = kubectl({"version", "--client"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "Client Version: v1.30.5\n"));
  install_package(cp1(), "kubectl", "1.31.2");
  r = kubectl({"version", "--client", "-o", "json"});
  EXPECT_EQ(YAML::Load(r.out)["clientVersion"]["gitVersion"].as<std::string>(), "v1.31.2");
  r = kubectl({"version"});
  EXPECT_TRUE(contains(r.out, "Server Version: v1.30.5")) << r.out;
}

TEST_F(KubectlTest, ErrorsLikeKubectl) {
  auto r = kubectl({"frobnicate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "error: unknown command \"frobnicate\" for \"kubectl\""));
  r = run_on(cp1(), "kubectl", {"--kubeconfig", "/no/such.conf", "get", "nodes"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "/no/such.conf"));
  r = kubectl({"drain", "w1", "--bogus"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "unknown flag: --bogus"));
}

}  // namespace
}  // namespace kuphost::sandbox::testing
