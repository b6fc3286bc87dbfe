// kubectl's JSON as preflight reads it (cluster_view.h), the component table
// it builds for `kuphost plan` (plan_table.h), and how the host renders that
// table and validates --ignore-preflight-errors.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "cli/options.h"
#include "cluster_view.h"
#include "plan_table.h"
#include "report/plan_report.h"
#include "support/failure.h"

namespace kuphost_plugins::kubeadm {
namespace {

const char *kNodesJson = R"({"apiVersion":"v1","kind":"List","items":[
 {"metadata":{"name":"cp1","labels":{"node-role.kubernetes.io/control-plane":""}},
  "status":{"nodeInfo":{"kubeletVersion":"v1.30.5"},"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}]}},
 {"metadata":{"name":"w1","labels":{"kubernetes.io/os":"linux"}},
  "status":{"nodeInfo":{"kubeletVersion":"v1.31.2"},"conditions":[{"type":"Ready","status":"False"}]}}]})";

const char *kPodsJson = R"({"apiVersion":"v1","kind":"List","items":[
 {"metadata":{"name":"kube-apiserver-cp1"},"spec":{"nodeName":"cp1","containers":[{"image":"registry.k8s.io/kube-apiserver:v1.30.5"}]},"status":{"phase":"Running"}},
 {"metadata":{"name":"kube-controller-manager-cp1"},"spec":{"nodeName":"cp1","containers":[{"image":"registry.k8s.io/kube-controller-manager:v1.30.5"}]},"status":{"phase":"Running"}},
 {"metadata":{"name":"kube-scheduler-cp1"},"spec":{"nodeName":"cp1","containers":[{"image":"registry.k8s.io/kube-scheduler:v1.30.5"}]},"status":{"phase":"Pending"}},
 {"metadata":{"name":"etcd-cp1"},"spec":{"nodeName":"cp1","containers":[{"image":"registry.k8s.io/etcd:3.5.15-0"}]},"status":{"phase":"Running"}},
 {"metadata":{"name":"kube-proxy-x7k2p"},"spec":{"nodeName":"w1","containers":[{"image":"registry.k8s.io/kube-proxy:v1.30.5"}]},"status":{"phase":"Running"}},
 {"metadata":{"name":"coredns-7db6d8ff4d-abcde"},"spec":{"nodeName":"w1","containers":[{"image":"registry.k8s.io/coredns/coredns:v1.11.1"}]},"status":{"phase":"Running"}}]})";

TEST(ClusterView, ReadsNodesReadinessVersionsAndRoles) {
  std::string why;
  const auto nodes = parse_nodes(kNodesJson, &why);
  ASSERT_TRUE(nodes) << why;
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ((*nodes)[0].name, "cp1");
  EXPECT_TRUE((*nodes)[0].control_plane);
  EXPECT_EQ((*nodes)[0].ready, "True");
  EXPECT_EQ((*nodes)[1].kubelet, "v1.31.2");
  EXPECT_EQ((*nodes)[1].ready, "False");
  EXPECT_FALSE((*nodes)[1].control_plane);
}

TEST(ClusterView, RefusesAnswersThatAreNotLists) {
  std::string why;
  EXPECT_FALSE(parse_nodes("error: You must be logged in to the server (Unauthorized)", &why));
  EXPECT_FALSE(why.empty());
  EXPECT_FALSE(parse_pods(R"({"kind":"Status"})", &why));
}

TEST(ClusterView, ReadsTheServerVersionOfKubectlVersion) {
  EXPECT_EQ(parse_server_version(R"({"clientVersion":{"gitVersion":"v1.30.5"},"serverVersion":{"gitVersion":"v1.31.2"}})")->str(),
            "v1.31.2");
  EXPECT_FALSE(parse_server_version(R"({"clientVersion":{"gitVersion":"v1.30.5"}})"));
}

TEST(ClusterView, ImageTags) {
  EXPECT_EQ(image_tag("registry.k8s.io/kube-proxy:v1.30.5"), "v1.30.5");
  EXPECT_EQ(image_tag("localhost:5000/etcd:3.5.15-0"), "3.5.15-0");
  EXPECT_EQ(image_tag("localhost:5000/etcd"), "");
  EXPECT_EQ(image_tag("registry.k8s.io/pause:3.9@sha256:abc"), "3.9");
}

PlanTableInput from_api(const char *target) {
  PlanTableInput in;
  std::string why;
  in.cluster = KubeVersion::parse("v1.30.5");
  in.cluster_source = "API server";
  in.kubeadm = KubeVersion::parse("v1.30.5");
  in.target = KubeVersion::parse(target);
  in.nodes = parse_nodes(kNodesJson, &why);
  in.pods = parse_pods(kPodsJson, &why);
  in.node = "cp1";
  in.control_plane = true;
  return in;
}

TEST(PlanTable, ListsControlPlaneAddonsAndTheKubeletsStillToUpgrade) {
  const YAML::Node t = YAML::Load(plan_table_yaml(from_api("v1.31.2")));
  EXPECT_EQ(t["clusterVersion"].as<std::string>(), "v1.30.5");
  EXPECT_EQ(t["target"].as<std::string>(), "v1.31.2");
  std::vector<std::string> rows;
  for (const auto &c : t["components"])
    rows.push_back(c["component"].as<std::string>() + "|" + c["node"].as<std::string>() + "|" +
                   c["current"].as<std::string>() + "|" + c["target"].as<std::string>());
  EXPECT_EQ(rows, (std::vector<std::string>{"kube-apiserver|cp1|v1.30.5|v1.31.2",
                                            "kube-controller-manager|cp1|v1.30.5|v1.31.2",
                                            "kube-scheduler|cp1|v1.30.5|v1.31.2", "kube-proxy||v1.30.5|v1.31.2",
                                            "CoreDNS||v1.11.1|v1.11.3", "etcd|cp1|3.5.15-0|3.5.15-0"}));
  // w1's kubelet is already at the target: only cp1's is still to upgrade.
  ASSERT_EQ(t["kubelets"].size(), 1u);
  EXPECT_EQ(t["kubelets"][0]["node"].as<std::string>(), "cp1");
}

TEST(PlanTable, EtcdStaysWhenKubeadmMayNotUpgradeIt) {
  auto in = from_api("v1.31.2");
  in.etcd_upgrade = false;
  const YAML::Node t = YAML::Load(plan_table_yaml(in));
  EXPECT_EQ(t["components"][5]["target"].as<std::string>(), "3.5.15-0 (etcd-upgrade: false)");
}

TEST(PlanTable, WithoutTheApiServerShowsThisNodeOnly) {
  PlanTableInput in;
  in.target = KubeVersion::parse("v1.31.2");
  in.node = "cp1";
  in.control_plane = true;
  in.this_control_plane = KubeVersion::parse("v1.30.5");
  in.this_kubelet = KubeVersion::parse("v1.30.5");
  const YAML::Node t = YAML::Load(plan_table_yaml(in));
  EXPECT_NE(t["source"].as<std::string>().find("this node only"), std::string::npos);
  EXPECT_EQ(t["components"].size(), 3u);
  EXPECT_EQ(t["components"][0]["current"].as<std::string>(), "v1.30.5");
  EXPECT_EQ(t["kubelets"].size(), 1u);
}

TEST(PlanTable, WithoutATargetHasVersionsButNoRows) {
  const YAML::Node t = YAML::Load(plan_table_yaml(from_api("v1.31.2")));
  auto in = from_api("v1.31.2");
  in.target.reset();
  const YAML::Node none = YAML::Load(plan_table_yaml(in));
  EXPECT_TRUE(none["target"].IsNull());
  EXPECT_EQ(none["components"].size(), 0u);
  EXPECT_EQ(none["kubeadmVersion"].as<std::string>(), "v1.30.5");
}

TEST(PlanReport, RendersThePluginsTableInTextAndJson) {
  kuphost::NodeFacts facts;
  facts.node_name = "cp1";
  kuphost::PlanResult plan;
  plan.shared_state[kPlanTableKey] = plan_table_yaml(from_api("v1.31.2"));
  const std::string text = kuphost::plan_text(facts, "v1.31.2", plan);
  EXPECT_NE(text.find("[upgrade/versions] Cluster version: v1.30.5 (API server)"), std::string::npos) << text;
  EXPECT_NE(text.find("[upgrade/versions] kubeadm version: v1.30.5"), std::string::npos) << text;
  EXPECT_NE(text.find("[upgrade/versions] Target version: v1.31.2"), std::string::npos) << text;
  EXPECT_NE(text.find("COMPONENT"), std::string::npos) << text;
  EXPECT_NE(text.find("kube-controller-manager   cp1    v1.30.5    v1.31.2"), std::string::npos) << text;
  EXPECT_NE(text.find("kubelet     cp1    v1.30.5   v1.31.2"), std::string::npos) << text;
  const YAML::Node json = YAML::Load(kuphost::to_json(kuphost::plan_value(facts, "v1.31.2", plan)));
  EXPECT_EQ(json["upgrade"]["components"][5]["current"].as<std::string>(), "3.5.15-0");
  EXPECT_EQ(json["upgrade"]["kubelets"][0]["node"].as<std::string>(), "cp1");
}

TEST(PlanReport, WithoutATableTheReportHasNoUpgradeSection) {
  kuphost::NodeFacts facts;
  const kuphost::PlanResult plan;
  EXPECT_EQ(kuphost::plan_text(facts, "", plan).find("[upgrade/versions]"), std::string::npos);
  const YAML::Node json = YAML::Load(kuphost::to_json(kuphost::plan_value(facts, "", plan)));
  EXPECT_TRUE(json["upgrade"].IsNull());
}

TEST(IgnorePreflightErrors, AcceptsKnownNamesInAnyCaseAndAll) {
  EXPECT_EQ(kuphost::parse_ignore_preflight_errors({"swap,NodesReady", "all"}),
            (std::vector<std::string>{"swap", "NodesReady", "all"}));
}

TEST(IgnorePreflightErrors, AnUnknownNameIsBadInputListingTheValidOnes) {
  try {
    kuphost::parse_ignore_preflight_errors({"Swap,NoSuchCheck"});
    FAIL() << "accepted an unknown name";
  } catch (const kuphost::Failure &f) {
    EXPECT_EQ(f.code(), kuphost::ExitCode::kInvalidInput);
    const std::string what = f.what();
    EXPECT_NE(what.find("'NoSuchCheck'"), std::string::npos) << what;
    EXPECT_NE(what.find("IsPrivilegedUser"), std::string::npos) << what;
    EXPECT_NE(what.find("ControlPlaneFirst"), std::string::npos) << what;
  }
  EXPECT_THROW(kuphost::parse_ignore_preflight_errors({"Swap,,NodesReady"}), kuphost::Failure);
}

}  // namespace
}  // namespace kuphost_plugins::kubeadm
