// The simulated kubectl's -o jsonpath against a created sandbox, with the
// templates kuphost's plugins use (kubeadm's cordon and node-status checks,
// Calico detection) and kubectl's errors around them.
#include <gtest/gtest.h>

#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

// plugins/support/node_status_query.hpp
constexpr const char *kNodeStatusJsonPath =
    "jsonpath={.status.nodeInfo.kubeletVersion} {range .status.conditions[?(@.type==\"Ready\")]}{.status}{end}";

class KubectlJsonPathTest : public ::testing::Test {
 protected:
  void SetUp() override { sb_ = make_sandbox(test_spec(tmp_.path() / "sb")); }
  const Node &cp1() { return *sb_.find("cp1"); }
  const Node &w1() { return *sb_.find("w1"); }
  RunResult kubectl(const std::vector<std::string> &args) {
    std::vector<std::string> full{"--kubeconfig", "/etc/kubernetes/admin.conf"};
    full.insert(full.end(), args.begin(), args.end());
    return run_on(cp1(), "kubectl", full);
  }
  void set_ready(const std::string &node, bool ready) {
    YAML::Node doc = YAML::LoadFile(cluster_yaml(sb_).string());
    for (auto n : doc["nodes"])
      if (n["name"].as<std::string>() == node) n["ready"] = ready;
    YAML::Emitter out;
    out << doc;
    write_text(cluster_yaml(sb_), out.c_str());
  }

  TempDir tmp_;
  Sandbox sb_;
};

void expect_output(const RunResult &r, const std::string &out) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, out);
  EXPECT_EQ(r.err, "");
}

void expect_failure(const RunResult &r, const std::string &err) {
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, err);
}

TEST_F(KubectlJsonPathTest, UnschedulableIsEmptyUntilCordoned) {
  // A schedulable Node's JSON has no spec.unschedulable at all.
  expect_output(kubectl({"get", "node", "w1", "-o", "jsonpath={.spec.unschedulable}"}), "");
  ASSERT_EQ(kubectl({"cordon", "w1"}).exit_code, 0);
  expect_output(kubectl({"get", "node", "w1", "-o", "jsonpath={.spec.unschedulable}"}), "true");
  ASSERT_EQ(kubectl({"uncordon", "w1"}).exit_code, 0);
  expect_output(kubectl({"get", "node", "w1", "-o", "jsonpath={.spec.unschedulable}"}), "");
}

TEST_F(KubectlJsonPathTest, NodeStatusQueryPrintsKubeletVersionAndReady) {
  expect_output(kubectl({"get", "node", "w1", "-o", kNodeStatusJsonPath}), "v1.30.5 True");
  install_package(w1(), "kubelet", "1.31.2");
  ASSERT_EQ(run_on(w1(), "systemctl", {"daemon-reload"}).exit_code, 0);
  ASSERT_EQ(run_on(w1(), "systemctl", {"restart", "kubelet"}).exit_code, 0);
  expect_output(kubectl({"get", "node", "w1", "-o", kNodeStatusJsonPath}), "v1.31.2 True");
  set_ready("w1", false);
  expect_output(kubectl({"get", "node", "w1", "-o", kNodeStatusJsonPath}), "v1.31.2 Unknown");
}

TEST_F(KubectlJsonPathTest, CalicoLookupsFailAsOnAClusterWithoutCalico) {
  expect_failure(kubectl({"get", "installations.operator.tigera.io", "default", "-o", "jsonpath={.status.calicoVersion}"}),
                 "error: the server doesn't have a resource type \"installations\"\n");
  expect_failure(kubectl({"-n", "kube-system", "get", "daemonset", "calico-node", "-o",
                          "jsonpath={.spec.template.spec.containers[?(@.name==\"calico-node\")].image}"}),
                 "Error from server (NotFound): daemonsets.apps \"calico-node\" not found\n");
  // kubectl looks the object up before it parses the template.
  expect_failure(kubectl({"-n", "kube-system", "get", "ds", "calico-node", "-o", "jsonpath={.spec"}),
                 "Error from server (NotFound): daemonsets.apps \"calico-node\" not found\n");
  expect_failure(kubectl({"get", "node", "nope", "-o", "jsonpath={.spec"}),
                 "Error from server (NotFound): nodes \"nope\" not found\n");
  expect_failure(kubectl({"get", "frobs", "-o", "jsonpath={.items}"}),
                 "error: the server doesn't have a resource type \"frobs\"\n");
}

TEST_F(KubectlJsonPathTest, WorkloadsTheSandboxImpliesAreNotGuessed) {
  const auto r = kubectl({"-n", "kube-system", "get", "daemonset", "kube-proxy", "-o", "jsonpath={.metadata.name}"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "the kuphost sandbox's kubectl does not simulate get daemonsets.apps")) << r.err;
  expect_failure(kubectl({"get", "deployments.apps", "coredns", "-o", "name"}),  // default namespace
                 "Error from server (NotFound): deployments.apps \"coredns\" not found\n");
}

TEST_F(KubectlJsonPathTest, ListTemplates) {
  expect_output(kubectl({"get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"}), "cp1 w1");
  expect_output(kubectl({"get", "nodes", "-o", "jsonpath={.items[0].status.nodeInfo.kubeletVersion}"}), "v1.30.5");
  expect_output(kubectl({"get", "nodes", "-o",
                         "jsonpath={range .items[*]}{.metadata.name}: {.status.nodeInfo.kubeletVersion}{\"\\n\"}{end}"}),
                "cp1: v1.30.5\nw1: v1.30.5\n");
  expect_output(kubectl({"get", "nodes", "-o", "jsonpath=names: {.items[*].metadata.name}."}), "names: cp1 w1.");
  expect_output(kubectl({"get", "nodes", "-o", "jsonpath={.kind} {.items[1].spec.podCIDR}"}), "List 10.244.1.0/24");
}

TEST_F(KubectlJsonPathTest, EverySpellingOfTheOutputFlag) {
  const std::string tpl = "{.metadata.name}";
  for (const std::vector<std::string> &output :
       {std::vector<std::string>{"-o", "jsonpath=" + tpl}, {"-o=jsonpath=" + tpl}, {"-ojsonpath=" + tpl},
        {"--output", "jsonpath=" + tpl}, {"--output=jsonpath=" + tpl}, {"-o", "jsonpath", "--template", tpl},
        {"--template=" + tpl, "-o", "jsonpath"}}) {
    std::vector<std::string> args{"get", "node", "cp1"};
    args.insert(args.end(), output.begin(), output.end());
    expect_output(kubectl(args), "cp1");
  }
  expect_output(kubectl({"get", "node/cp1", "-o", "jsonpath={.kind}"}), "Node");
}

TEST_F(KubectlJsonPathTest, PodTemplates) {
  const auto names = kubectl({"get", "pods", "-n", "kube-system", "-o", "jsonpath={.items[*].metadata.name}"});
  ASSERT_EQ(names.exit_code, 0) << names.err;
  EXPECT_TRUE(contains(names.out, "kube-apiserver-cp1 ")) << names.out;
  const std::string proxy = cluster_node(sb_, "w1")["pods"][0]["name"].as<std::string>();
  expect_output(kubectl({"-n", "kube-system", "get", "pod", proxy, "-o", "jsonpath={.spec.nodeName}"}), "w1");
  expect_output(kubectl({"get", "pods", "-o", "jsonpath={.items[*].metadata.name}"}), "");  // none in default
  expect_failure(kubectl({"get", "pod", proxy, "-o", "jsonpath={.spec.nodeName}"}),
                 "Error from server (NotFound): pods \"" + proxy + "\" not found\n");
}

TEST_F(KubectlJsonPathTest, TemplateErrorsAreKubectls) {
  expect_failure(kubectl({"get", "nodes", "-o", "jsonpath={.items[0"}),
                 "error: error parsing jsonpath {.items[0, unterminated array\n");
  expect_failure(kubectl({"get", "node", "cp1", "-o", "jsonpath={.metadata.name"}),
                 "error: error parsing jsonpath {.metadata.name, unclosed action\n");
  expect_failure(kubectl({"get", "node", "cp1", "-o", "jsonpath"}),
                 "error: template format specified but no template given\n");
  expect_failure(kubectl({"get", "node", "cp1", "-o", "jsonpath="}),
                 "error: template format specified but no template given\n");
  const auto r = kubectl({"get", "node", "cp1", "-o", "yamlish"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "error: unable to match a printer suitable for the output format \"yamlish\", allowed "
                              "formats are: custom-columns,")) << r.err;
}

TEST_F(KubectlJsonPathTest, ExecutionErrorsShowTheTemplateAndTheObject) {
  const auto r = kubectl({"get", "node", "cp1", "-o", "jsonpath={.status.conditions[3].type}"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  const std::string head =
      "error: error executing jsonpath \"{.status.conditions[3].type}\": Error executing template: array index out "
      "of bounds: index 3, length 1. Printing more information for debugging the template:\n"
      "\ttemplate was:\n\t\t{.status.conditions[3].type}\n"
      "\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"kind\":\"Node\", "
      "\"metadata\":map[string]interface {}{";
  EXPECT_EQ(r.err.substr(0, head.size()), head);
  EXPECT_TRUE(contains(r.err, "\"name\":\"cp1\"")) << r.err;
  EXPECT_EQ(r.err.substr(r.err.size() - 3), "}\n\n");
}

TEST_F(KubectlJsonPathTest, MissingKeysAreEmptyUnlessDisallowed) {
  expect_output(kubectl({"get", "node", "cp1", "-o", "jsonpath=[{.metadata.annotations.nope}]"}), "[]");
  const auto r = kubectl({"get", "node", "cp1", "-o", "jsonpath={.spec.unschedulable}",
                          "--allow-missing-template-keys=false"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Error executing template: unschedulable is not found. ")) << r.err;
}

TEST_F(KubectlJsonPathTest, OtherPrintersStillWork) {
  expect_output(kubectl({"get", "nodes", "-o", "name"}), "node/cp1\nnode/w1\n");
  expect_output(kubectl({"get", "node", "w1", "-o", "name"}), "node/w1\n");
  const auto r = kubectl({"get", "node", "w1", "-o", "yaml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(YAML::Load(r.out)["metadata"]["name"].as<std::string>(), "w1");
}

}  // namespace
}  // namespace kuphost::sandbox::testing
