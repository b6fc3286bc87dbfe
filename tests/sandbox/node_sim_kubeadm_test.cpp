// The simulated kubeadm: version, upgrade plan/apply/node, as a child process.
#include <algorithm>
#include <regex>

#include <gtest/gtest.h>

#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

class KubeadmTest : public ::testing::Test {
 protected:
  void SetUp() override { sb_ = make_sandbox(test_spec(tmp_.path() / "sb")); }
  const Node &cp1() { return *sb_.find("cp1"); }
  const Node &w1() { return *sb_.find("w1"); }
  std::string manifest(const std::string &component) {
    return read_text(cp1().root / "etc/kubernetes/manifests" / (component + ".yaml"));
  }

  TempDir tmp_;
  Sandbox sb_;
};

TEST_F(KubeadmTest, VersionReportsTheInstalledPackage) {
  auto r = run_on(cp1(), "kubeadm", {"version", "-o", "short"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "v1.30.5\n");
  install_package(cp1(), "kubeadm", "1.31.2");
  EXPECT_EQ(run_on(cp1(), "kubeadm", {"version", "-o", "short"}).out, "v1.31.2\n");
  r = run_on(cp1(), "kubeadm", {"version", "-o", "json"});
  EXPECT_EQ(YAML::Load(r.out)["clientVersion"]["gitVersion"].as<std::string>(), "v1.31.2");
  EXPECT_EQ(YAML::Load(run_on(cp1(), "kubeadm", {"version", "-o", "yaml"}).out)["clientVersion"]["minor"].as<std::string>(),
            "31");
  EXPECT_TRUE(contains(run_on(cp1(), "kubeadm", {"version"}).out, "GitVersion:\"v1.31.2\""));
  r = run_on(cp1(), "kubeadm", {"version", "-o", "xml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "invalid output format: xml"));
}

TEST_F(KubeadmTest, PlanShowsVersionsAndTheApplyCommand) {
  install_package(cp1(), "kubeadm", "1.31.2");
  const auto r = run_on(cp1(), "kubeadm", {"upgrade", "plan"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char *line :
       {"[upgrade/config] Making sure the configuration is correct:", "[preflight] Running pre-flight checks.",
        "[upgrade] Running cluster health checks", "[upgrade/versions] Cluster version: v1.30.5",
        "[upgrade/versions] kubeadm version: v1.31.2", "[upgrade/versions] Target version: v1.31.2",
        "You can now apply the upgrade by executing the following command:", "\tkubeadm upgrade apply v1.31.2"})
    EXPECT_TRUE(contains(r.out, line)) << line << "\n" << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("kube-apiserver +cp1 +v1.30.5 +v1.31.2"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("kubelet +w1 +v1.30.5 +v1.31.2"))) << r.out;
}

TEST_F(KubeadmTest, PlanWithAnExplicitVersionAndWhenUpToDate) {
  install_package(cp1(), "kubeadm", "1.31.2");
  auto r = run_on(cp1(), "kubeadm", {"upgrade", "plan", "v1.31.0"});
  EXPECT_TRUE(contains(r.out, "[upgrade/versions] Target version: v1.31.0")) << r.out;
  EXPECT_TRUE(contains(r.out, "kubeadm upgrade apply v1.31.0"));
  install_package(cp1(), "kubeadm", "1.30.5");
  r = run_on(cp1(), "kubeadm", {"upgrade", "plan"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "Awesome, you're up-to-date! Enjoy!")) << r.out;
}

TEST_F(KubeadmTest, PlanNeedsAdminConf) {
  const auto r = run_on(w1(), "kubeadm", {"upgrade", "plan"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "couldn't create a Kubernetes client from file \"/etc/kubernetes/admin.conf\"")) << r.err;
  EXPECT_TRUE(contains(r.err, "To see the stack trace of this error execute with --v=5 or higher"));
}

TEST_F(KubeadmTest, ApplyRewritesManifestsBacksUpAndSetsTheClusterVersion) {
  install_package(cp1(), "kubeadm", "1.31.2");
  const std::string old_apiserver = manifest("kube-apiserver");
  // No API server here, so no member: stand in for what etcd would have written.
  fs::create_directories(cp1().root / "var/lib/etcd/member/snap");
  write_text(cp1().root / "var/lib/etcd/member/snap/db", "etcd's data");
  const std::string old_db = read_text(cp1().root / "var/lib/etcd/member/snap/db");
  const std::string old_cert = read_text(cp1().root / "etc/kubernetes/pki/apiserver.crt");

  const auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "[upgrade/successful] SUCCESS! Your cluster was upgraded to \"v1.31.2\". Enjoy!"));
  EXPECT_TRUE(contains(r.out, "[upgrade/kubelet] Now that your control plane is upgraded"));
  EXPECT_TRUE(contains(r.out, "[upgrade/staticpods] Renewing apiserver certificate"));
  for (const char *c : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"})
    EXPECT_EQ(image_of(cp1(), c), std::string("registry.k8s.io/") + c + ":v1.31.2");

  const auto backups = tmp_dirs(cp1(), "kubeadm-backup-manifests-");
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_TRUE(std::regex_match(backups[0].filename().string(),
                               std::regex(R"(kubeadm-backup-manifests-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})")));
  EXPECT_EQ(mode_of(backups[0]), 0700u);
  EXPECT_EQ(read_text(backups[0] / "kube-apiserver.yaml"), old_apiserver);
  const auto etcd_backups = tmp_dirs(cp1(), "kubeadm-backup-etcd-");
  ASSERT_EQ(etcd_backups.size(), 1u);
  EXPECT_EQ(read_text(etcd_backups[0] / "etcd/member/snap/db"), old_db);
  EXPECT_TRUE(tmp_dirs(cp1(), "kubeadm-upgraded-manifests").empty());  // staging is cleaned up
  EXPECT_EQ(tmp_dirs(cp1(), "kubeadm-kubelet-config").size(), 1u);

  EXPECT_EQ(YAML::LoadFile(cluster_yaml(sb_).string())["kubernetesVersion"].as<std::string>(), "v1.31.2");
  EXPECT_EQ(cluster_node(sb_, "cp1")["controlPlaneVersion"].as<std::string>(), "v1.31.2");
  // Renewed: a new certificate that still verifies.
  const std::string new_cert = read_text(cp1().root / "etc/kubernetes/pki/apiserver.crt");
  EXPECT_NE(new_cert, old_cert);
  auto ca = load_cert_file(cp1().root / "etc/kubernetes/pki/ca.crt");
  auto cert = load_cert_pem(new_cert);
  EXPECT_TRUE(verifies(*cert, *ca));
  EXPECT_EQ(X509_check_private_key(cert.get(), load_key_file(cp1().root / "etc/kubernetes/pki/apiserver.key").get()), 1);
  EXPECT_EQ(common_name(*cert), "kube-apiserver");
}

TEST_F(KubeadmTest, ApplyAgainAtTheSameVersionIsIdempotent) {
  install_package(cp1(), "kubeadm", "1.31.2");
  ASSERT_EQ(run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "-y"}).exit_code, 0);
  const std::string upgraded = manifest("kube-apiserver");
  const auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "-y", "--certificate-renewal=false"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char *c : {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"})
    EXPECT_TRUE(contains(r.out, std::string("Current and new manifests of ") + c + " are equal, skipping upgrade"))
        << c << "\n" << r.out;
  EXPECT_FALSE(contains(r.out, "Renewing"));
  EXPECT_EQ(manifest("kube-apiserver"), upgraded);
  const auto backups = tmp_dirs(cp1(), "kubeadm-backup-manifests-");
  ASSERT_EQ(backups.size(), 2u);
  EXPECT_TRUE(fs::is_empty(backups[1])) << "no manifest is backed up when nothing changes";
}

TEST_F(KubeadmTest, ApplySkippingAMinorIsRefusedWithKubeadmsRule) {
  install_package(cp1(), "kubeadm", "1.31.2");
  const std::string before = manifest("kube-apiserver");
  const auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.32.0", "--yes", "--force"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors"));
  EXPECT_TRUE(contains(r.err, "Specified version to upgrade to \"v1.32.0\" is too high; kubeadm can upgrade only 1 "
                              "minor version at a time")) << r.err;
  EXPECT_TRUE(contains(r.err, "is at least one minor release higher than the kubeadm minor release (32 > 31)"));
  EXPECT_EQ(manifest("kube-apiserver"), before);
  EXPECT_FALSE(fs::exists(cp1().root / "etc/kubernetes/tmp"));
}

TEST_F(KubeadmTest, ApplyAboveTheKubeadmPatchNeedsForce) {
  install_package(cp1(), "kubeadm", "1.31.0");
  auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "--yes"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Specified version to upgrade to \"v1.31.2\" is higher than the kubeadm version "
                              "\"v1.31.0\". Upgrade kubeadm first")) << r.err;
  EXPECT_TRUE(contains(r.err, "Can be bypassed if you pass the --force flag"));
  r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Found 1 potential version compatibility errors but skipping since the --force flag"));
}

TEST_F(KubeadmTest, ApplyAsksForConfirmationOnStdin) {
  install_package(cp1(), "kubeadm", "1.31.2");
  auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.out, "[upgrade] Are you sure you want to proceed? [y/N]: "));
  EXPECT_TRUE(contains(r.err, "won't proceed; the user didn't answer (Y|y) in order to continue")) << r.err;
  EXPECT_EQ(image_of(cp1(), "kube-apiserver"), "registry.k8s.io/kube-apiserver:v1.30.5");
  r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2"}, "y\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(image_of(cp1(), "kube-apiserver"), "registry.k8s.io/kube-apiserver:v1.31.2");
}

TEST_F(KubeadmTest, ApplyDryRunChangesNothing) {
  install_package(cp1(), "kubeadm", "1.31.2");
  const std::string manifests_before = manifest("kube-apiserver") + manifest("etcd");
  const std::string cluster_before = read_text(cluster_yaml(sb_));
  const auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "[upgrade/successful] Finished dryrunning successfully!"));
  EXPECT_EQ(manifest("kube-apiserver") + manifest("etcd"), manifests_before);
  EXPECT_EQ(read_text(cluster_yaml(sb_)), cluster_before);
  EXPECT_FALSE(fs::exists(cp1().root / "etc/kubernetes/tmp"));
}

TEST_F(KubeadmTest, ApplyRollsBackWhenTheKubeletDoesNotRestartComponents) {
  install_package(cp1(), "kubeadm", "1.31.2");
  ASSERT_EQ(run_on(cp1(), "systemctl", {"stop", "kubelet"}).exit_code, 0);
  auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "-y"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "[ERROR ControlPlaneNodesReady]: there are NotReady control-planes in the cluster: [cp1]"))
      << r.err;
  r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "-y", "--ignore-preflight-errors=ControlPlaneNodesReady"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "couldn't upgrade control plane. kubeadm has tried to recover everything into the "
                              "earlier state")) << r.err;
  EXPECT_TRUE(contains(r.err, "static Pod hash for component kube-apiserver on Node cp1 did not change after 5m0s"));
  EXPECT_EQ(image_of(cp1(), "kube-apiserver"), "registry.k8s.io/kube-apiserver:v1.30.5");
  EXPECT_EQ(YAML::LoadFile(cluster_yaml(sb_).string())["kubernetesVersion"].as<std::string>(), "v1.30.5");
}

TEST_F(KubeadmTest, ApplyAppliesPatches) {
  install_package(cp1(), "kubeadm", "1.31.2");
  fs::create_directories(cp1().root / "etc/kubernetes/patches");
  write_text(cp1().root / "etc/kubernetes/patches/kube-apiserver+merge.yaml",
             "metadata:\n  annotations:\n    kuphost.test/patched: \"yes\"\n");
  const auto r = run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "-y", "--patches", "/etc/kubernetes/patches"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "[patches] Applied patch of type \"application/merge-patch+json\" to target "
                              "\"kube-apiserver\""));
  const YAML::Node pod = YAML::Load(manifest("kube-apiserver"));
  EXPECT_EQ(pod["metadata"]["annotations"]["kuphost.test/patched"].as<std::string>(), "yes");
  EXPECT_EQ(pod["spec"]["containers"][0]["image"].as<std::string>(), "registry.k8s.io/kube-apiserver:v1.31.2");
}

TEST_F(KubeadmTest, UpgradeNodeOnAWorkerOnlyTouchesTheKubeletConfig) {
  install_package(cp1(), "kubeadm", "1.31.2");
  ASSERT_EQ(run_on(cp1(), "kubeadm", {"upgrade", "apply", "v1.31.2", "-y"}).exit_code, 0);
  auto r = run_on(w1(), "kubeadm", {"upgrade", "node"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "the kubeadm version \"v1.30.5\" is older than the cluster version \"v1.31.2\"")) << r.err;
  install_package(w1(), "kubeadm", "1.31.2");
  r = run_on(w1(), "kubeadm", {"upgrade", "node"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "[upgrade] Skipping phase. Not a control plane node."));
  EXPECT_TRUE(contains(r.out, "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\""));
  EXPECT_TRUE(contains(r.out, "[upgrade] The configuration for this node was successfully updated!"));
  EXPECT_EQ(tmp_dirs(w1(), "kubeadm-kubelet-config").size(), 1u);
  EXPECT_FALSE(fs::exists(w1().root / "etc/kubernetes/manifests/kube-apiserver.yaml"));
}

TEST(KubeadmHaTest, OtherControlPlanesUpgradeWithUpgradeNodeAndTheLastOneMovesAddons) {
  TempDir tmp;
  const Sandbox sb = make_sandbox(test_spec(tmp.path() / "sb", "cp1:first-control-plane,cp2:other-control-plane"));
  const Node &cp1 = *sb.find("cp1"), &cp2 = *sb.find("cp2");
  install_package(cp1, "kubeadm", "1.31.2");
  install_package(cp2, "kubeadm", "1.31.2");
  auto r = run_on(cp1, "kubeadm", {"upgrade", "apply", "v1.31.2", "-y"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "[upgrade/addon] Skipping upgrade of addons because control plane instances [cp2] have "
                              "not been upgraded")) << r.out;
  // Several etcd members: kubeadm drops the etcd backup after success.
  EXPECT_TRUE(tmp_dirs(cp1, "kubeadm-backup-etcd-").empty());
  EXPECT_EQ(image_of(cp2, "kube-apiserver"), "registry.k8s.io/kube-apiserver:v1.30.5");

  r = run_on(cp2, "kubeadm", {"upgrade", "node"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "[upgrade] Upgrading your Static Pod-hosted control plane instance to version \"v1.31.2\""));
  EXPECT_TRUE(contains(r.out, "[addons] Applied essential addon: CoreDNS"));
  EXPECT_EQ(image_of(cp2, "kube-apiserver"), "registry.k8s.io/kube-apiserver:v1.31.2");
  const YAML::Node cluster = YAML::LoadFile(cluster_yaml(sb).string());
  EXPECT_EQ(cluster["addons"]["kubeProxy"].as<std::string>(), "v1.31.2");
  EXPECT_EQ(cluster["addons"]["coreDNS"].as<std::string>(), "v1.11.3");
}

}  // namespace
}  // namespace kuphost::sandbox::testing
