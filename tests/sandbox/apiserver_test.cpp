// kuphost-apiserver with the REAL kubectl: up/down, nodes, cordon history,
// drain with evictions and PodDisruptionBudgets, Leases with optimistic
// concurrency, client-certificate authentication, /version following the
// simulated kubeadm, the nodes' kubectl wrapper and the never-Ready fault.
// No kubectl on this machine fails these tests (they never skip).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <yaml-cpp/yaml.h>

#include "cluster_state.h"
#include "kubeconfig.h"
#include "kuphost/sandbox/apiserver.h"
#include "node_sim_test_support.h"
#include "pki.h"

namespace kuphost::sandbox::testing {
namespace {

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sb_ = make_sandbox(test_spec(dir_.path() / "c", "cp1:first-control-plane,w1:worker,w2:worker"));
    // kubectl's discovery cache goes under the test's directory, never ~/.kube.
    ::setenv("KUBECACHEDIR", (dir_.path() / "kube-cache").c_str(), 1);
    std::string error;
    kubectl_ = find_real_kubectl("v1.30.5", &error);
    ASSERT_TRUE(kubectl_) << "these tests need a real kubectl: " << error;
    std::string message;
    ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  }
  void TearDown() override { apiserver_down(sb_.dir, nullptr, nullptr); }

  RunResult kubectl(std::vector<std::string> args, const fs::path &kubeconfig = {}) {
    args.insert(args.begin(), {kubectl_->string(), "--kubeconfig",
                               (kubeconfig.empty() ? sb_.dir / "kubeconfig" : kubeconfig).string()});
    return run(args);
  }
  const Node &node(const std::string &name) { return *sb_.find(name); }
  detail::ClusterState cluster() { return detail::read_cluster(sb_.dir); }
  std::vector<std::string> pods_on(const std::string &name) {
    std::vector<std::string> out;
    const detail::ClusterState state = cluster();
    for (const auto &p : state.find(name)->pods) out.push_back(p.ns + "/" + p.name);
    return out;
  }
  std::string audit() { return read_text(sb_.dir / "cluster/apiserver-audit.log"); }

  TempDir dir_;
  Sandbox sb_;
  std::optional<fs::path> kubectl_;
};

TEST_F(ApiServerTest, UpAndDownAreIdempotent) {
  std::string message, error;
  const ApiServerStatus before = apiserver_status(sb_.dir);
  ASSERT_TRUE(before.running);
  ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  EXPECT_TRUE(contains(message, "already running")) << message;
  EXPECT_EQ(apiserver_status(sb_.dir).pid, before.pid);
  // Every kubeconfig points at the server.
  const std::string server = "https://127.0.0.1:" + std::to_string(before.port);
  for (const fs::path &conf : {sb_.dir / "kubeconfig", node("cp1").root / "etc/kubernetes/admin.conf",
                               node("w1").root / "etc/kubernetes/kubelet.conf"})
    EXPECT_TRUE(contains(read_text(conf), "server: " + server)) << conf;

  ASSERT_TRUE(apiserver_down(sb_.dir, &message, &error)) << error;
  EXPECT_TRUE(contains(message, "stopped")) << message;
  EXPECT_FALSE(apiserver_status(sb_.dir).running);
  EXPECT_FALSE(fs::exists(sb_.dir / "cluster/apiserver.pid"));
  ASSERT_TRUE(apiserver_down(sb_.dir, &message, &error)) << error;
  EXPECT_TRUE(contains(message, "not running")) << message;
  ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  EXPECT_TRUE(contains(message, "started")) << message;
  // The recorded port is reused when the kernel lets it be bound again (a
  // closed server's connections can hold it for a while); either way every
  // kubeconfig follows the server.
  const int port = apiserver_status(sb_.dir).port;
  const std::string now = "https://127.0.0.1:" + std::to_string(port);
  for (const fs::path &conf : {sb_.dir / "kubeconfig", node("cp1").root / "etc/kubernetes/admin.conf",
                               node("w1").root / "etc/kubernetes/kubelet.conf"})
    EXPECT_TRUE(contains(read_text(conf), "server: " + now)) << conf;
  EXPECT_EQ(kubectl({"get", "nodes", "-o", "name"}).exit_code, 0);
}

TEST_F(ApiServerTest, GetNodesJsonListsTheNodesWithVersions) {
  const auto r = kubectl({"get", "nodes", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const YAML::Node list = YAML::Load(r.out);
  EXPECT_EQ(list["kind"].as<std::string>(), "List");
  ASSERT_EQ(list["items"].size(), 3u);
  std::vector<std::string> names;
  for (const auto &n : list["items"]) {
    names.push_back(n["metadata"]["name"].as<std::string>());
    EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.30.5");
  }
  EXPECT_EQ(names, (std::vector<std::string>{"cp1", "w1", "w2"}));
  EXPECT_TRUE(contains(audit(), "\"path\":\"/api/v1/nodes?limit=500\"")) << audit();
  EXPECT_TRUE(contains(audit(), "\"user\":\"kubernetes-admin\""));
}

TEST_F(ApiServerTest, GetNodesPrintsTheServersTableLikeARealCluster) {
  ASSERT_EQ(kubectl({"cordon", "w1"}).exit_code, 0);
  const auto r = kubectl({"get", "nodes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_TRUE(contains(lines[0], "NAME") && contains(lines[0], "STATUS") && contains(lines[0], "ROLES") &&
              contains(lines[0], "VERSION"))
      << r.out;
  EXPECT_TRUE(contains(lines[1], "cp1") && contains(lines[1], "Ready") && contains(lines[1], "control-plane") &&
              contains(lines[1], "v1.30.5"))
      << r.out;
  EXPECT_TRUE(contains(lines[2], "Ready,SchedulingDisabled")) << r.out;
  const auto wide = kubectl({"get", "nodes", "-o", "wide"});
  EXPECT_TRUE(contains(wide.out, "INTERNAL-IP") && contains(wide.out, "CONTAINER-RUNTIME")) << wide.out;
  EXPECT_TRUE(contains(audit(), "as=Table")) << "kubectl asked for a Table";
}

TEST_F(ApiServerTest, CordonAndUncordonAreRecordedInTheCordonHistory) {
  ASSERT_EQ(kubectl({"cordon", "w1"}).exit_code, 0);
  EXPECT_TRUE(cluster().find("w1")->unschedulable);
  const auto again = kubectl({"cordon", "w1"});
  EXPECT_TRUE(contains(again.out, "already cordoned")) << again.out;
  ASSERT_EQ(kubectl({"uncordon", "w1"}).exit_code, 0);
  EXPECT_FALSE(cluster().find("w1")->unschedulable);
  const auto lines = split_lines(read_text(sb_.dir / "cluster/cordon-history.log"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(contains(lines[0], "\"cordoned\":true") && contains(lines[0], "\"node\":\"w1\"")) << lines[0];
  EXPECT_TRUE(contains(lines[1], "\"cordoned\":false")) << lines[1];
  const auto missing = kubectl({"cordon", "nope"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_TRUE(contains(missing.err, "nodes \"nope\" not found")) << missing.err;
}

TEST_F(ApiServerTest, DrainEvictsAndTheReplicaSetRecreatesElsewhere) {
  // An emptyDir pod needs --delete-emptydir-data; the DaemonSet pod stays.
  detail::update_cluster(sb_.dir, [](detail::ClusterState &s) {
    for (auto &p : s.find("w1")->pods)
      if (p.owner_name == "coredns-7db6d8ff4d") p.empty_dir = true;
    return true;
  });
  const auto refused = kubectl({"drain", "w1", "--ignore-daemonsets", "--timeout=5s"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(contains(refused.err, "local storage")) << refused.err;

  const auto r = kubectl({"drain", "w1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=10s"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "node/w1 drained")) << r.out;
  const auto left = pods_on("w1");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(left[0].starts_with("kube-system/kube-proxy-")) << left[0];
  int coredns = 0, web = 0;
  for (const auto &p : pods_on("w2")) {
    coredns += p.starts_with("kube-system/coredns-");
    web += p.starts_with("default/web-");
  }
  EXPECT_EQ(coredns, 2);
  EXPECT_EQ(web, 2);
  EXPECT_TRUE(contains(audit(), "/eviction\",\"time\"")) << "evictions, not deletes";
}

TEST_F(ApiServerTest, DisruptionBudgetBlocksTheDrainUntilItIsDeleted) {
  ASSERT_EQ(kubectl({"create", "pdb", "web", "--selector=app=web", "--min-available=2"}).exit_code, 0);
  const auto pdb = kubectl({"get", "pdb", "web", "-o", "jsonpath={.status.disruptionsAllowed}"});
  EXPECT_EQ(pdb.out, "0") << pdb.err;
  const auto blocked = kubectl({"drain", "w1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=7s"});
  EXPECT_NE(blocked.exit_code, 0);
  EXPECT_TRUE(contains(blocked.err, "Cannot evict pod as it would violate the pod's disruption budget.")) << blocked.err;
  EXPECT_TRUE(contains(audit(), "\"code\":429")) << audit();

  ASSERT_EQ(kubectl({"delete", "pdb", "web"}).exit_code, 0);
  const auto r = kubectl({"drain", "w1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=10s"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ApiServerTest, LeasesConflictOnDuplicateCreateAndStaleResourceVersion) {
  const fs::path lease = dir_.path() / "lease.yaml";
  write_text(lease,
             "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: kuphost-upgrade\n"
             "  namespace: kube-system\nspec:\n  holderIdentity: cp1\n  leaseDurationSeconds: 30\n"
             "  renewTime: \"2024-05-01T10:00:00.123456Z\"\n");
  ASSERT_EQ(kubectl({"create", "-f", lease.string()}).exit_code, 0);
  const auto again = kubectl({"create", "-f", lease.string()});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(contains(again.err, "AlreadyExists")) << again.err;

  const auto got = kubectl({"-n", "kube-system", "get", "lease", "kuphost-upgrade", "-o", "json"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  const YAML::Node object = YAML::Load(got.out);
  EXPECT_EQ(object["spec"]["renewTime"].as<std::string>(), "2024-05-01T10:00:00.123456Z");
  const std::string rv = object["metadata"]["resourceVersion"].as<std::string>();
  std::string fresh = got.out;  // kubectl's JSON, holder changed, resourceVersion kept
  const std::string old_holder = "\"holderIdentity\": \"cp1\"";
  const size_t at = fresh.find(old_holder);
  ASSERT_NE(at, std::string::npos) << fresh;
  fresh.replace(at, old_holder.size(), "\"holderIdentity\": \"w1\"");
  write_text(lease, fresh);
  const auto replaced = kubectl({"replace", "-f", lease.string()});  // PUT with the current version
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  // The same resourceVersion again is stale now.
  const auto stale = kubectl({"replace", "-f", lease.string()});
  EXPECT_NE(stale.exit_code, 0);
  EXPECT_TRUE(contains(stale.err, "Conflict") || contains(stale.err, "the object has been modified")) << stale.err;
  EXPECT_TRUE(contains(audit(), "\"code\":409"));
  EXPECT_EQ(cluster().leases.at(0).holder_identity, "w1");
  EXPECT_NE(std::to_string(cluster().leases.at(0).resource_version), rv);
}

TEST_F(ApiServerTest, ForeignClientCertificateIs401AndForeignCaIsAnX509Error) {
  const auto admin = detail::parse_kubeconfig(read_text(sb_.dir / "kubeconfig"));
  detail::KeyPair other_ca = detail::make_ca("other-ca", detail::generate_key(detail::KeyType::kEcdsaP256));
  detail::CertSpec user;
  user.common_name = "kubernetes-admin";
  user.organizations = {"kubeadm:cluster-admins"};
  user.ext_usage = detail::kClientAuth;
  const detail::KeyPair foreign = detail::issue(user, other_ca, detail::generate_key(detail::KeyType::kEcdsaP256));

  detail::Kubeconfig wrong_cert = admin;
  wrong_cert.client_cert_pem = detail::cert_pem(*foreign.cert);
  wrong_cert.client_key_pem = detail::key_pem(*foreign.key);
  write_text(dir_.path() / "wrong-cert.conf", detail::render_kubeconfig(wrong_cert));
  const auto unauthorized = kubectl({"get", "nodes"}, dir_.path() / "wrong-cert.conf");
  EXPECT_NE(unauthorized.exit_code, 0);
  EXPECT_TRUE(contains(unauthorized.err, "You must be logged in to the server")) << unauthorized.err;
  EXPECT_TRUE(contains(audit(), "\"code\":401")) << audit();

  detail::Kubeconfig wrong_ca = admin;
  wrong_ca.ca_pem = detail::cert_pem(*other_ca.cert);
  write_text(dir_.path() / "wrong-ca.conf", detail::render_kubeconfig(wrong_ca));
  const auto untrusted = kubectl({"get", "nodes"}, dir_.path() / "wrong-ca.conf");
  EXPECT_NE(untrusted.exit_code, 0);
  EXPECT_TRUE(contains(untrusted.err, "x509: certificate signed by unknown authority")) << untrusted.err;
}

TEST_F(ApiServerTest, VersionFollowsTheSimulatedKubeadmUpgrade) {
  auto server_version = [&] {
    const auto r = kubectl({"version", "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return YAML::Load(r.out)["serverVersion"]["gitVersion"].as<std::string>("");
  };
  EXPECT_EQ(server_version(), "v1.30.5");
  install_package(node("cp1"), "kubeadm", "1.31.2");
  const auto up = run_on(node("cp1"), "kubeadm", {"upgrade", "apply", "v1.31.2", "--yes"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_EQ(server_version(), "v1.31.2");
}

TEST_F(ApiServerTest, NodeKubectlRunsTheRealKubectlWithTheNodesKubeconfig) {
  // kubelet.conf names its client certificate by node path.
  const auto r = run_on(node("w1"), "kubectl",
                        {"--kubeconfig", "/etc/kubernetes/kubelet.conf", "get", "node", "w1", "-o",
                         "jsonpath={.status.nodeInfo.kubeletVersion} {.spec.unschedulable}"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "v1.30.5 ");
  EXPECT_TRUE(contains(audit(), "\"user\":\"system:node:w1\"")) << audit();
  const auto cp = run_on(node("cp1"), "kubectl", {"--kubeconfig=/etc/kubernetes/admin.conf", "cordon", "w2"});
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  EXPECT_TRUE(cluster().find("w2")->unschedulable);
  EXPECT_FALSE(fs::exists(node("w1").root / ".kube")) << "kubectl's cache stays outside the node";
}

TEST_F(ApiServerTest, KubeletNeverReadyFaultKeepsTheNodeNotReadyAfterRestart) {
  detail::update_cluster(sb_.dir, [](detail::ClusterState &s) {
    s.find("w1")->kubelet_never_ready = true;
    return true;
  });
  ASSERT_EQ(run_on(node("w1"), "systemctl", {"restart", "kubelet"}).exit_code, 0);
  const auto r = kubectl({"get", "node", "w1", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"});
  EXPECT_EQ(r.out, "Unknown") << r.err;
  const auto w2 = kubectl({"get", "node", "w2", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"});
  EXPECT_EQ(w2.out, "True");
}

}  // namespace
}  // namespace kuphost::sandbox::testing
