// Node facts from a root: distro family, role, etcd topology, versions.
#include <gtest/gtest.h>

#include "facts/node_facts.h"
#include "fakes.h"
#include "services/file_system.h"
#include "support/failure.h"
#include "test_support.h"

namespace kuphost {
namespace {

class FactsTest : public ::testing::Test {
 protected:
  NodeFacts gather(FactOptions o = {}) {
    NodeFacts f = gather_facts(NodeRoot(dir_.path()), fs_, o);
    EXPECT_TRUE(runner_.calls.empty()) << "gathering facts runs nothing";
    probe_versions(f, runner_);
    return f;
  }
  void os_release(const std::string &text) { test::write_file(dir_ / "etc/os-release", text); }
  void manifest(const std::string &name, const std::string &image) {
    test::write_file(dir_ / ("etc/kubernetes/manifests/" + name + ".yaml"),
                     "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: x\n    image: " + image + "\n");
  }
  test::TempDir dir_;
  RealFileSystem fs_;
  test::FakeCommandRunner runner_;
};

TEST_F(FactsTest, DistroFamiliesFromIdAndIdLike) {
  EXPECT_EQ(distro_family("ubuntu", "debian"), "debian");
  EXPECT_EQ(distro_family("debian", ""), "debian");
  EXPECT_EQ(distro_family("rhel", "fedora"), "rhel");
  EXPECT_EQ(distro_family("rocky", "rhel centos fedora"), "rhel");
  EXPECT_EQ(distro_family("fedora", ""), "rhel");
  EXPECT_EQ(distro_family("opensuse-leap", "suse opensuse"), "suse");
  EXPECT_EQ(distro_family("windows", ""), "windows");
  EXPECT_EQ(distro_family("arch", ""), "unknown");
}

TEST_F(FactsTest, ControlPlaneWithStackedEtcdAndVersions) {
  os_release("NAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\n");
  test::write_file(dir_ / "etc/hostname", "cp1\n");
  manifest("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.30.5");
  manifest("etcd", "registry.k8s.io/etcd:3.5.15-0");
  runner_.reply("kubeadm version -o short", 0, "v1.30.5\n");
  runner_.reply("kubelet --version", 0, "Kubernetes v1.30.4\n");
  runner_.reply("kubectl version --client -o json", 0, "{\"clientVersion\": {\"gitVersion\": \"v1.30.3\"}}\n");
  const NodeFacts f = gather();
  EXPECT_EQ(f.node_name, "cp1");
  EXPECT_EQ(f.family, "debian");
  EXPECT_EQ(f.os_version_id, "24.04");
  EXPECT_EQ(f.os_pretty_name, "Ubuntu 24.04.1 LTS");
  EXPECT_EQ(f.role, Role::kFirstControlPlane);
  EXPECT_EQ(f.etcd_name(), "stacked");
  EXPECT_EQ(f.control_plane_version->str(), "v1.30.5");
  EXPECT_EQ(f.kubeadm_version->str(), "v1.30.5");
  EXPECT_EQ(f.kubelet_version->str(), "v1.30.4");
  EXPECT_EQ(f.kubectl_version->str(), "v1.30.3");
}

TEST_F(FactsTest, ControlPlaneWithoutEtcdManifestIsExternalAndRoleCanBeOverridden) {
  os_release("ID=rhel\nID_LIKE=fedora\nVERSION_ID=9.4\n");
  manifest("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.30.5");
  FactOptions o;
  o.role_override = Role::kOtherControlPlane;
  o.role_override_source = "--role";
  const NodeFacts f = gather(o);
  EXPECT_EQ(f.family, "rhel");
  EXPECT_EQ(f.role, Role::kOtherControlPlane);
  EXPECT_EQ(f.role_source, "from --role");
  EXPECT_EQ(f.etcd_name(), "external");
}

// The sandbox knows where a control plane's own API server answers; on a
// real node the key is absent and the manifest says.
TEST_F(FactsTest, ApiserverEndpointOnlyWhenTheHostKnowsIt) {
  os_release("ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\n");
  manifest("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.30.5");
  EXPECT_EQ(gather_facts(NodeRoot(dir_.path()), fs_, {}).as_map().count("node.apiserver-endpoint"), 0u);
  FactOptions o;
  o.apiserver_endpoint = "127.0.0.1:41234";
  EXPECT_EQ(gather_facts(NodeRoot(dir_.path()), fs_, o).as_map().at("node.apiserver-endpoint"), "127.0.0.1:41234");
}

TEST_F(FactsTest, WorkerHasNoEtcdAndMissingBinariesAreUnknown) {
  os_release("ID=debian\nVERSION_ID=12\n");
  runner_.not_found("kubeadm");
  runner_.not_found("kubelet");
  runner_.not_found("kubectl");
  const NodeFacts f = gather();
  EXPECT_EQ(f.role, Role::kWorker);
  EXPECT_EQ(f.etcd_mask, 0u);
  EXPECT_EQ(f.etcd_name(), "none");
  EXPECT_FALSE(f.kubeadm_version);
  EXPECT_FALSE(f.control_plane_version);
}

TEST_F(FactsTest, MissingOsReleaseIsAClearError) {
  try {
    gather();
    FAIL();
  } catch (const Failure &e) {
    EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("etc/os-release"), std::string::npos);
  }
}

TEST(Versions, ParseAcceptsKubeadmFormsAndRejectsOthers) {
  EXPECT_EQ(parse_version("v1.31.2")->str(), "v1.31.2");
  EXPECT_EQ(parse_version("1.31.2")->str(), "v1.31.2");
  EXPECT_EQ(parse_version("v1.32.0-rc.1")->pre, "rc.1");
  for (const char *bad : {"v1.31", "1.31.x", "latest", "v1.31.2.1", "v01.31.2", "", "v1.31.2-gamma.1"})
    EXPECT_FALSE(parse_version(bad)) << bad;
  EXPECT_LT(parse_version("v1.32.0-rc.1")->compare(*parse_version("v1.32.0")), 0);
  EXPECT_LT(parse_version("v1.31.10")->compare(*parse_version("v1.32.0")), 0);
  EXPECT_EQ(version_from_image("registry.k8s.io/kube-apiserver:v1.30.5")->str(), "v1.30.5");
  EXPECT_FALSE(version_from_image("localhost:5000/kube-apiserver"));
}

}  // namespace
}  // namespace kuphost
