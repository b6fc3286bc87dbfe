// cluster/packages.yaml, the simulated pkgs.k8s.io `create` writes, and the
// packages each distro family starts with.
#include <gtest/gtest.h>

#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

std::vector<std::string> versions(const YAML::Node &universe, const std::string &minor, const std::string &package) {
  return universe["repositories"][minor][package]["versions"].as<std::vector<std::string>>();
}

std::vector<std::string> patches(const std::string &minor, int first, int last) {
  std::vector<std::string> out;
  for (int p = first; p <= last; ++p) out.push_back(minor + "." + std::to_string(p));
  return out;
}

TEST(PackageUniverseTest, OffersTheClusterMinorAndTheNextTwo) {
  TempDir tmp;
  const Sandbox sb = make_sandbox(test_spec(tmp.path() / "sb", "cp1:first-control-plane"));
  const YAML::Node u = YAML::LoadFile((sb.dir / "cluster/packages.yaml").string());
  EXPECT_EQ(u["debRevision"].as<std::string>(), "1.1");
  EXPECT_EQ(u["rpmRelease"].as<std::string>(), "150500.1.1");
  EXPECT_EQ(u["repositories"].size(), 3u);
  for (const char *package : {"kubeadm", "kubelet", "kubectl"}) {
    EXPECT_EQ(versions(u, "v1.30", package), patches("1.30", 0, 7)) << package;  // current patch 5 + 2
    EXPECT_EQ(versions(u, "v1.31", package), patches("1.31", 0, 4)) << package;
    EXPECT_EQ(versions(u, "v1.32", package), patches("1.32", 0, 2)) << package;
  }
  EXPECT_EQ(versions(u, "v1.30", "cri-tools"), std::vector<std::string>{"1.30.1"});
  EXPECT_EQ(versions(u, "v1.31", "cri-tools"), std::vector<std::string>{"1.31.1"});
  EXPECT_EQ(versions(u, "v1.32", "cri-tools"), std::vector<std::string>{"1.32.0"});
  EXPECT_EQ(versions(u, "v1.30", "kubernetes-cni"), std::vector<std::string>{"1.4.0"});
  EXPECT_EQ(versions(u, "v1.31", "kubernetes-cni"), std::vector<std::string>{"1.5.1"});
  EXPECT_EQ(versions(u, "v1.32", "kubernetes-cni"), std::vector<std::string>{"1.6.0"});
  EXPECT_EQ(u["repositories"]["v1.31"]["kubeadm"]["depends"]["cri-tools"].as<std::string>(), "1.31.0");
  EXPECT_EQ(u["repositories"]["v1.31"]["kubelet"]["depends"]["kubernetes-cni"].as<std::string>(), "1.4.0");
  EXPECT_FALSE(u["repositories"]["v1.31"]["kubectl"]["depends"]);
}

TEST(PackageUniverseTest, OlderClustersGetTheirMinorsTools) {
  TempDir tmp;
  Spec spec = test_spec(tmp.path() / "sb", "cp1:first-control-plane");
  spec.kubernetes_version = "v1.28.9";
  spec.distro = "debian-12";
  const Sandbox sb = make_sandbox(spec);
  const YAML::Node u = YAML::LoadFile((sb.dir / "cluster/packages.yaml").string());
  EXPECT_EQ(versions(u, "v1.28", "kubeadm"), patches("1.28", 0, 11));
  EXPECT_EQ(versions(u, "v1.30", "kubeadm"), patches("1.30", 0, 2));
  EXPECT_EQ(versions(u, "v1.28", "cri-tools"), std::vector<std::string>{"1.28.0"});
  EXPECT_EQ(u["repositories"]["v1.28"]["kubelet"]["depends"]["kubernetes-cni"].as<std::string>(), "1.2.0");
  const YAML::Node node = YAML::LoadFile(node_yaml(*sb.find("cp1")).string());
  EXPECT_EQ(node["packages"]["cri-tools"].as<std::string>(), "1.28.0");
  EXPECT_EQ(node["packages"]["kubernetes-cni"].as<std::string>(), "1.2.0");
  EXPECT_EQ(node["aptLists"][0].as<std::string>(), "https://pkgs.k8s.io/core:/stable:/v1.28/deb/");
  const auto r = run_on(*sb.find("cp1"), "apt-cache", {"madison", "kubeadm"});
  EXPECT_TRUE(r.out.starts_with("   kubeadm | 1.28.11-1.1 | https://pkgs.k8s.io/core:/stable:/v1.28/deb  Packages\n"))
      << r.out;
}

TEST(PackageUniverseTest, WindowsNodesHaveNoPackageManager) {
  TempDir tmp;
  Spec spec = test_spec(tmp.path() / "sb", "cp1:first-control-plane,win1:worker");
  spec.distro = "windows-2022";
  const Sandbox sb = make_sandbox(spec);
  const Node &win = *sb.find("win1");
  for (const char *command : {"apt-get", "dpkg-query", "dnf", "rpm"})
    EXPECT_FALSE(fs::exists(win.root / "usr/bin" / command));
  const YAML::Node state = YAML::LoadFile(node_yaml(win).string());
  EXPECT_EQ(state["packages"].size(), 3u);  // kubeadm, kubelet, kubectl; no cri-tools or CNI package
  EXPECT_FALSE(state["aptLists"]);
  // Its Linux control plane has apt.
  EXPECT_EQ(run_on(*sb.find("cp1"), "dpkg-query", {"-W", "-f=${Version}", "kubeadm"}).out, "1.30.5-1.1");
}

TEST(PackageUniverseTest, EditingTheUniversePublishesVersions) {
  TempDir tmp;
  const Sandbox sb = make_sandbox(test_spec(tmp.path() / "sb", "cp1:first-control-plane"));
  YAML::Node u = YAML::LoadFile((sb.dir / "cluster/packages.yaml").string());
  u["repositories"]["v1.30"]["kubeadm"]["versions"].push_back("1.30.8");
  u["repositories"].remove("v1.31");
  YAML::Emitter out;
  out << u;
  write_text(sb.dir / "cluster/packages.yaml", out.c_str());
  const Node &cp1 = *sb.find("cp1");
  EXPECT_TRUE(run_on(cp1, "apt-cache", {"madison", "kubeadm"}).out.starts_with("   kubeadm | 1.30.8-1.1 |"));
  write_text(
      cp1.root / "etc/apt/sources.list.d/kubernetes.list",
      "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /\n");
  EXPECT_EQ(run_on(cp1, "apt-get", {"update"}).exit_code, 100);  // a withdrawn minor is a missing repository
}

}  // namespace
}  // namespace kuphost::sandbox::testing
