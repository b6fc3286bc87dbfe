// The simulated controllers behind Calico upgrades: DaemonSet and Deployment
// rollouts (and the calico.neverReadyImages fault), the Tigera operator that
// needs its release's CRDs, `sandbox create --calico` and the Calico-shaped
// release with its SHA-256.
#include <openssl/evp.h>

#include "calico_sim.h"
#include "calico_test_support.h"
#include "cluster_state.h"
#include "object_store.h"

namespace kuphost::sandbox::testing {
namespace {

using namespace std::chrono_literals;
using kuphost::test::eventually;

class CalicoRolloutTest : public CalicoSandboxTest {};

TEST_F(CalicoRolloutTest, ManifestUpgradeRollsOutNodeByNode) {
  start("cp1:first-control-plane,w1:worker,w2:worker", "manifest", "v3.29.1");
  EXPECT_TRUE(daemonset_rolled_out("kube-system", "calico-node"));
  const RunResult r = apply(release("v3.30.3") / "calico.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(jsonpath({"ds", "calico-node", "-n", "kube-system"}, "{.metadata.generation} {.spec.template.spec.containers[0].image}"),
            "2 docker.io/calico/node:v3.30.3");
  EXPECT_TRUE(eventually([&] { return daemonset_rolled_out("kube-system", "calico-node"); }, 10s));
  EXPECT_EQ(jsonpath({"ds", "calico-node", "-n", "kube-system"}, "{.status.desiredNumberScheduled}"), "3");
  EXPECT_TRUE(eventually([&] {
    return jsonpath({"deploy", "calico-kube-controllers", "-n", "kube-system"},
                    "{.status.replicas}/{.status.updatedReplicas}/{.status.availableReplicas}") == "1/1/1";
  }, 10s));
  const RunResult status = kubectl({"rollout", "status", "ds/calico-node", "-n", "kube-system", "--watch=false"});
  EXPECT_TRUE(has(status.out, "successfully rolled out")) << status.out << status.err;
}

TEST_F(CalicoRolloutTest, NeverReadyImageStallsTheRolloutAndRollbackCompletes) {
  start("cp1:first-control-plane,w1:worker,w2:worker", "manifest", "v3.29.1");
  detail::update_cluster(sb_.dir, [](detail::ClusterState &state) {
    state.calico_never_ready_images = {"docker.io/calico/node:v3.30.3"};
    return true;
  });
  ASSERT_EQ(apply(release("v3.30.3") / "calico.yaml").exit_code, 0);
  std::this_thread::sleep_for(1500ms);  // five rollout steps' time for three nodes
  EXPECT_FALSE(daemonset_rolled_out("kube-system", "calico-node"));
  EXPECT_EQ(jsonpath({"ds", "calico-node", "-n", "kube-system"}, "{.status.updatedNumberScheduled} {.status.numberAvailable}"),
            "1 2");
  // Rolling back to the old image finishes.
  ASSERT_EQ(apply(release("v3.29.1") / "calico.yaml").exit_code, 0);
  EXPECT_TRUE(eventually([&] { return daemonset_rolled_out("kube-system", "calico-node"); }, 10s));
  EXPECT_TRUE(has(read_text(sb_.dir / "cluster/cluster.yaml"), "neverReadyImages"));
}

TEST_F(CalicoRolloutTest, OperatorUpgradesOnlyWithTheReleaseCrds) {
  start("cp1:first-control-plane,w1:worker", "operator", "v3.29.1");
  EXPECT_EQ(jsonpath({"installation", "default"}, "{.status.calicoVersion}"), "v3.29.1");
  EXPECT_EQ(jsonpath({"tigerastatus", "calico"}, "{.status.conditions[?(@.type==\"Available\")].status}"), "True");
  const fs::path manifests = release("v3.30.3");
  // 3.30 without operator-crds.yaml first: the operator reports the CRDs missing.
  ASSERT_EQ(apply(manifests / "tigera-operator.yaml").exit_code, 0);
  EXPECT_EQ(jsonpath({"tigerastatus", "calico"}, "{.status.conditions[?(@.type==\"Degraded\")].status}"), "True");
  EXPECT_TRUE(has(jsonpath({"tigerastatus", "calico"}, "{.status.conditions[?(@.type==\"Degraded\")].message}"),
                  "CRDs missing"));
  EXPECT_EQ(jsonpath({"ds", "calico-node", "-n", "calico-system"}, "{.spec.template.spec.containers[0].image}"),
            "docker.io/calico/node:v3.29.1");
  // With the CRDs the operator rolls calico-node to the new version.
  ASSERT_EQ(apply(manifests / "operator-crds.yaml").exit_code, 0);
  EXPECT_EQ(jsonpath({"ds", "calico-node", "-n", "calico-system"}, "{.spec.template.spec.containers[0].image}"),
            "docker.io/calico/node:v3.30.3");
  EXPECT_TRUE(eventually([&] {
    return jsonpath({"installation", "default"}, "{.status.calicoVersion}") == "v3.30.3" &&
           jsonpath({"tigerastatus", "calico"}, "{.status.conditions[?(@.type==\"Available\")].status}") == "True";
  }, 10s));
  EXPECT_TRUE(daemonset_rolled_out("calico-system", "calico-node"));
}

// The operator's view at fixed times: Progressing while calico-node rolls
// out, the old version in the Installation until it is done.
TEST(CalicoOperatorStatus, ProgressingWhileCalicoNodeRollsOut) {
  TempDir dir;
  Spec spec = test_spec(dir.path() / "c", "cp1:first-control-plane,w1:worker,w2:worker");
  spec.calico = "operator";
  const Sandbox sb = make_sandbox(spec);
  detail::ObjectStore store = detail::read_objects(sb.dir);
  const detail::ClusterState cluster = detail::read_cluster(sb.dir);
  const int64_t t0 = detail::now_ms();
  for (const auto &doc : YAML::LoadAll(calico_manifests("v3.30.3")[3].second)) detail::store_object(store, doc, t0);
  for (const auto &doc : YAML::LoadAll(calico_manifests("v3.30.3")[1].second)) detail::store_object(store, doc, t0);
  ASSERT_TRUE(detail::reconcile_tigera_operator(store, t0));
  const auto conditions_at = [&](int64_t t) {
    const YAML::Node status = detail::object_as_read(*store.find("operator.tigera.io", "TigeraStatus", "", "calico"), store, cluster, t);
    std::string out;
    for (const auto &c : status["status"]["conditions"]) out += c["type"].as<std::string>() + "=" + c["status"].as<std::string>() + " ";
    return out;
  };
  const auto version_at = [&](int64_t t) {
    const YAML::Node inst = detail::object_as_read(*store.find("operator.tigera.io", "Installation", "", "default"), store, cluster, t);
    return inst["status"]["calicoVersion"].as<std::string>("");
  };
  EXPECT_EQ(conditions_at(t0 + 400), "Available=False Progressing=True Degraded=False ");
  EXPECT_EQ(version_at(t0 + 400), "v3.29.1");
  EXPECT_EQ(conditions_at(t0 + 1000), "Available=True Progressing=False Degraded=False ");
  EXPECT_EQ(version_at(t0 + 1000), "v3.30.3");
  const auto ds = detail::rollout_status(*store.find("apps", "DaemonSet", "calico-system", "calico-node"), cluster, t0 + 650);
  EXPECT_EQ(ds.desired, 3);
  EXPECT_EQ(ds.updated, 2);
  EXPECT_FALSE(ds.done());
}

TEST(CalicoCreate, SeedsBothInstallMethods) {
  TempDir dir;
  Spec spec = test_spec(dir.path() / "op", "cp1:first-control-plane,w1:worker");
  spec.calico = "operator";
  spec.calico_version = "v3.30.3";
  const Sandbox op = make_sandbox(spec);
  const detail::ObjectStore ops = detail::read_objects(op.dir);
  EXPECT_TRUE(ops.find("apps", "Deployment", "tigera-operator", "tigera-operator"));
  EXPECT_TRUE(ops.find("operator.tigera.io", "Installation", "", "default"));
  EXPECT_TRUE(ops.find("apiextensions.k8s.io", "CustomResourceDefinition", "", "goldmanes.operator.tigera.io"));
  const detail::StoredObject *node = ops.find("apps", "DaemonSet", "calico-system", "calico-node");
  ASSERT_TRUE(node);
  EXPECT_EQ(node->object["spec"]["template"]["spec"]["containers"][0]["image"].as<std::string>(), "docker.io/calico/node:v3.30.3");
  EXPECT_TRUE(detail::rollout_status(*node, detail::read_cluster(op.dir), detail::now_ms()).done());
  EXPECT_FALSE(ops.find("apps", "DaemonSet", "kube-system", "calico-node"));

  spec = test_spec(dir.path() / "mf", "cp1:first-control-plane,w1:worker");
  spec.calico = "manifest";
  const Sandbox mf = make_sandbox(spec);
  const detail::ObjectStore mfs = detail::read_objects(mf.dir);
  const detail::StoredObject *mnode = mfs.find("apps", "DaemonSet", "kube-system", "calico-node");
  ASSERT_TRUE(mnode);
  EXPECT_EQ(mnode->object["spec"]["template"]["spec"]["containers"][0]["image"].as<std::string>(), "docker.io/calico/node:v3.29.1");
  EXPECT_TRUE(mfs.find("apps", "Deployment", "kube-system", "calico-kube-controllers"));
  EXPECT_FALSE(mfs.find("apps", "Deployment", "tigera-operator", "tigera-operator"));

  spec = test_spec(dir.path() / "bad", "cp1:first-control-plane");
  spec.calico = "helm";
  std::string error;
  EXPECT_FALSE(create(spec, &error));
  EXPECT_EQ(error, "unknown Calico install method 'helm'; use operator or manifest");
  spec.calico = "operator";
  spec.calico_version = "3.30";
  EXPECT_FALSE(create(spec, &error));
  EXPECT_TRUE(has(error, "invalid Calico version '3.30'")) << error;
  EXPECT_FALSE(fs::exists(dir.path() / "bad" / "sandbox.yaml"));
}

std::string sha256_of_file(const fs::path &path) {
  const std::string data = read_text(path);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return hex;
}

TEST(CalicoRelease, WritesManifestsBundleAndChecksumPerVersion) {
  TempDir dir;
  std::string sha, error;
  ASSERT_TRUE(write_calico_release(dir.path(), "v3.29.1", &sha, &error)) << error;
  const fs::path v29 = dir.path() / "release-v3.29.1/manifests";
  EXPECT_TRUE(fs::exists(v29 / "calico.yaml"));
  EXPECT_TRUE(has(read_text(v29 / "tigera-operator.yaml"), "name: installations.operator.tigera.io"));
  EXPECT_FALSE(fs::exists(v29 / "operator-crds.yaml"));
  EXPECT_EQ(sha, sha256_of_file(dir.path() / "release-v3.29.1.tgz"));
  const RunResult listing = run({"/usr/bin/tar", "tzf", (dir.path() / "release-v3.29.1.tgz").string()});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_TRUE(has(listing.out, "release-v3.29.1/manifests/custom-resources.yaml")) << listing.out;

  ASSERT_TRUE(write_calico_release(dir.path(), "v3.30.3", &sha, &error)) << error;
  const fs::path v30 = dir.path() / "release-v3.30.3/manifests";
  EXPECT_TRUE(has(read_text(v30 / "operator-crds.yaml"), "name: goldmanes.operator.tigera.io"));
  EXPECT_FALSE(has(read_text(v30 / "tigera-operator.yaml"), "CustomResourceDefinition"));
  EXPECT_TRUE(has(read_text(v30 / "tigera-operator.yaml"), "kuphost-sandbox/calico-version: v3.30.3"));
  EXPECT_EQ(sha, sha256_of_file(dir.path() / "release-v3.30.3.tgz"));

  ASSERT_TRUE(write_calico_release(dir.path(), "v3.32.0", &sha, &error)) << error;
  EXPECT_TRUE(fs::exists(dir.path() / "release-v3.32.0/manifests/v1_crd_projectcalico_org.yaml"));

  EXPECT_FALSE(write_calico_release(dir.path(), "v2.6.0", &sha, &error));
  EXPECT_TRUE(has(error, "invalid Calico version 'v2.6.0'")) << error;
}

}  // namespace
}  // namespace kuphost::sandbox::testing
