// The simulated apt on a Debian-family node (ubuntu-24.04, the default):
// apt-get, apt-cache, apt-mark and dpkg-query against cluster/packages.yaml,
// with real apt's output, exit codes and list caching.
#include <gtest/gtest.h>

#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

constexpr const char *kStatusFormat = "-f=${Package} ${Version} ${db:Status-Abbrev}\\n";
constexpr const char *kCdn = "https://prod-cdn.packages.k8s.io/repositories/isv:/kubernetes:/core:/stable:/";

class AptTest : public ::testing::Test {
 protected:
  void SetUp() override { sb_ = make_sandbox(test_spec(tmp_.path() / "sb")); }
  const Node &w1() { return *sb_.find("w1"); }
  RunResult on_w1(const std::string &command, const std::vector<std::string> &args, const std::string &in = "") {
    return run_on(w1(), command, args, in);
  }
  RunResult apt_get(const std::vector<std::string> &args, const std::string &in = "") {
    return on_w1("apt-get", args, in);
  }
  void sources(const std::string &line) {
    write_text(w1().root / "etc/apt/sources.list.d/kubernetes.list", line + "\n");
  }
  // The change-package-repository docs' edit: the minor in kubernetes.list.
  void switch_minor(const std::string &minor) {
    sources("deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/" + minor +
            "/deb/ /");
  }
  void switch_and_update(const std::string &minor) {
    switch_minor(minor);
    const auto r = apt_get({"update"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  std::string status() { return on_w1("dpkg-query", {"-W", kStatusFormat}).out; }
  std::string installed(const std::string &package) {
    return YAML::LoadFile(node_yaml(w1()).string())["packages"][package].as<std::string>();
  }

  TempDir tmp_;
  Sandbox sb_;
};

TEST_F(AptTest, StartsWithTheClusterVersionInstalledAndHeld) {
  EXPECT_EQ(status(),
            "cri-tools 1.30.1-1.1 ii \n"
            "kubeadm 1.30.5-1.1 hi \n"
            "kubectl 1.30.5-1.1 hi \n"
            "kubelet 1.30.5-1.1 hi \n"
            "kubernetes-cni 1.4.0-1.1 ii \n");
  EXPECT_EQ(on_w1("apt-mark", {"showhold"}).out, "kubeadm\nkubectl\nkubelet\n");
  EXPECT_EQ(on_w1("kubeadm", {"version", "-o", "short"}).out, "v1.30.5\n");
  for (const char *command : {"apt-get", "apt-cache", "apt-mark", "dpkg-query"})
    EXPECT_TRUE(fs::is_symlink(w1().root / "usr/bin" / command)) << command;
  for (const char *command : {"dnf", "yum", "rpm"}) EXPECT_FALSE(fs::exists(w1().root / "usr/bin" / command));
}

TEST_F(AptTest, MadisonListsTheConfiguredMinorNewestFirst) {
  const auto r = on_w1("apt-cache", {"madison", "kubeadm", "cri-tools"});
  EXPECT_EQ(r.exit_code, 0);
  std::string expected;
  for (int patch = 7; patch >= 0; --patch)
    expected +=
        "   kubeadm | 1.30." + std::to_string(patch) + "-1.1 | https://pkgs.k8s.io/core:/stable:/v1.30/deb  Packages\n";
  expected += " cri-tools | 1.30.1-1.1 | https://pkgs.k8s.io/core:/stable:/v1.30/deb  Packages\n";
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(on_w1("apt-cache", {"madison", "nope"}).out, "");
}

// Real apt (checked with apt 2.6 against a pkgs.k8s.io-shaped repository):
// after kubernetes.list changes, the old minor's lists no longer count and
// the new one's are not there until `apt-get update`.
TEST_F(AptTest, ASwitchedRepositoryIsVisibleOnlyAfterUpdate) {
  switch_minor("v1.31");
  EXPECT_EQ(on_w1("apt-cache", {"madison", "kubeadm"}).out, "");
  auto r = apt_get({"install", "-y", "--allow-change-held-packages", "kubeadm=1.31.2-1.1"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: Version '1.31.2-1.1' for 'kubeadm' was not found\n");

  r = apt_get({"update", "--error-on=any"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Get:1 " + std::string(kCdn) + "v1.31/deb  InRelease [1186 B]\n" + "Get:2 " + kCdn +
                       "v1.31/deb  Packages [17.9 kB]\n" + "Fetched 19.0 kB in 1s (19.0 kB/s)\n" +
                       "Reading package lists...\n");
  EXPECT_EQ(r.err, "");
  r = on_w1("apt-cache", {"madison", "kubeadm"});
  EXPECT_EQ(r.out,
            "   kubeadm | 1.31.4-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
            "   kubeadm | 1.31.3-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
            "   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
            "   kubeadm | 1.31.1-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
            "   kubeadm | 1.31.0-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n");
  // A second update finds the lists current.
  EXPECT_EQ(apt_get({"update"}).out, "Hit:1 " + std::string(kCdn) + "v1.31/deb  InRelease\nReading package lists...\n");
}

TEST_F(AptTest, MinorUpgradeUnholdInstallHold) {
  switch_and_update("v1.31");
  auto r = apt_get({"install", "-y", "kubeadm=1.31.2-1.1"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: Held packages were changed and -y was used without --allow-change-held-packages.\n");
  EXPECT_TRUE(contains(r.out, "The following held packages will be changed:\n  kubeadm\n")) << r.out;
  EXPECT_EQ(on_w1("kubeadm", {"version", "-o", "short"}).out, "v1.30.5\n");

  r = on_w1("apt-mark", {"unhold", "kubeadm"});
  EXPECT_EQ(r.out, "Canceled hold on kubeadm.\n");
  r = apt_get({"install", "-y", "kubeadm=1.31.2-1.1"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char *line :
       {"Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
        "The following additional packages will be installed:\n  cri-tools\n",
        "The following packages will be upgraded:\n  cri-tools kubeadm\n",
        "2 upgraded, 0 newly installed, 0 to remove and 3 not upgraded.\n",
        "Unpacking cri-tools (1.31.1-1.1) over (1.30.1-1.1) ...\n", "Setting up kubeadm (1.31.2-1.1) ...\n"})
    EXPECT_TRUE(contains(r.out, line)) << line << "\n" << r.out;
  EXPECT_LT(r.out.find("Setting up cri-tools"), r.out.find("Setting up kubeadm"));  // dependencies first
  EXPECT_EQ(on_w1("kubeadm", {"version", "-o", "short"}).out, "v1.31.2\n");
  EXPECT_EQ(on_w1("apt-mark", {"hold", "kubeadm"}).out, "kubeadm set on hold.\n");
  EXPECT_EQ(status(),
            "cri-tools 1.31.1-1.1 ii \n"
            "kubeadm 1.31.2-1.1 hi \n"
            "kubectl 1.30.5-1.1 hi \n"
            "kubelet 1.30.5-1.1 hi \n"
            "kubernetes-cni 1.4.0-1.1 ii \n");

  // The docs' glob; --allow-change-held-packages installs and drops the holds.
  r = apt_get({"install", "-y", "--allow-change-held-packages", "kubelet=1.31.2-*", "kubectl=1.31.2-*"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(on_w1("apt-mark", {"showhold"}).out, "kubeadm\n");
  EXPECT_TRUE(contains(status(), "kubelet 1.31.2-1.1 ii \n"));
  EXPECT_EQ(installed("kubernetes-cni"), "1.4.0");  // kubelet's >= 1.4.0 is still met
  EXPECT_EQ(on_w1("kubelet", {"--version"}).out, "Kubernetes v1.31.2\n");

  // The running kubelet changes on restart, after systemd's reload warning.
  EXPECT_EQ(cluster_node(sb_, "w1")["kubeletVersion"].as<std::string>(), "v1.30.5");
  EXPECT_TRUE(YAML::LoadFile(node_yaml(w1()).string())["units"]["kubelet"]["needsDaemonReload"].as<bool>());
  EXPECT_TRUE(contains(on_w1("systemctl", {"restart", "kubelet"}).err, "Run 'systemctl daemon-reload'"));
  EXPECT_EQ(cluster_node(sb_, "w1")["kubeletVersion"].as<std::string>(), "v1.31.2");
}

TEST_F(AptTest, PatchUpgradeNeedsNoRepositorySwitch) {
  auto r = apt_get({"update"});
  EXPECT_EQ(r.out, "Hit:1 " + std::string(kCdn) + "v1.30/deb  InRelease\nReading package lists...\n");
  r = apt_get(
      {"install", "-y", "--allow-change-held-packages", "-o", "Dpkg::Options::=--force-confold", "kubeadm=1.30.7-1.1"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(contains(r.out, "additional packages")) << r.out;
  EXPECT_EQ(on_w1("kubeadm", {"version", "-o", "short"}).out, "v1.30.7\n");
  EXPECT_EQ(installed("cri-tools"), "1.30.1");
  // Already there: nothing to do.
  r = apt_get({"install", "-y", "kubeadm=1.30.7-1.1"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out,
                       "kubeadm is already the newest version (1.30.7-1.1).\n"
                       "0 upgraded, 0 newly installed, 0 to remove and 2 not upgraded.\n"))
      << r.out;
}

TEST_F(AptTest, AMissingMinorRepositoryHasNoReleaseFile) {
  switch_minor("v1.33");  // the sandbox's pkgs.k8s.io has v1.30-v1.32
  const auto r = apt_get({"update"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.out, "Ign:1 " + std::string(kCdn) + "v1.33/deb  InRelease\n" + "Err:2 " + kCdn +
                       "v1.33/deb  Release\n  404  Not Found [IP: 18.172.134.4 443]\nReading package lists...\n");
  EXPECT_EQ(r.err,
            "E: The repository 'https://pkgs.k8s.io/core:/stable:/v1.33/deb  Release' does not have a Release file.\n"
            "N: Updating from such a repository can't be done securely, and is therefore disabled by default.\n"
            "N: See apt-secure(8) manpage for repository creation and user configuration details.\n");
  EXPECT_EQ(on_w1("apt-cache", {"madison", "kubeadm"}).out, "");
  // A failed update keeps the old lists; switching back needs no new update.
  switch_minor("v1.30");
  EXPECT_FALSE(on_w1("apt-cache", {"madison", "kubeadm"}).out.empty());
}

TEST_F(AptTest, TheLegacyRepositoryIsGone) {
  sources(
      "deb [signed-by=/etc/apt/keyrings/kubernetes-archive-keyring.gpg] https://apt.kubernetes.io/ "
      "kubernetes-xenial main");
  auto r = apt_get({"update"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.out,
            "Ign:1 https://packages.cloud.google.com/apt kubernetes-xenial InRelease\n"
            "Err:2 https://packages.cloud.google.com/apt kubernetes-xenial Release\n"
            "  404  Not Found [IP: 142.250.72.110 443]\nReading package lists...\n");
  EXPECT_TRUE(contains(r.err,
                       "E: The repository 'https://apt.kubernetes.io kubernetes-xenial Release' does not "
                       "have a Release file.\n"))
      << r.err;
  r = apt_get({"update", "-qq"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.out, "");
}

TEST_F(AptTest, UnknownVersionsAndPackagesAreErrors) {
  switch_and_update("v1.31");
  auto r = apt_get({"install", "-y", "--allow-change-held-packages", "kubeadm=1.31.9-1.1"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: Version '1.31.9-1.1' for 'kubeadm' was not found\n");
  EXPECT_TRUE(contains(r.out, "Package kubeadm is not available, but is referred to by another package.\n"));
  // Without the revision apt finds nothing either: pins need the whole version or a glob.
  EXPECT_EQ(apt_get({"install", "-y", "kubeadm=1.31.2"}).err, "E: Version '1.31.2' for 'kubeadm' was not found\n");
  r = apt_get({"install", "-y", "nope"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: Unable to locate package nope\n");
  EXPECT_EQ(installed("kubeadm"), "1.30.5");
}

TEST_F(AptTest, DowngradesNeedAllowDowngrades) {
  on_w1("apt-mark", {"unhold", "kubeadm"});
  auto r = apt_get({"install", "-y", "kubeadm=1.30.4-1.1"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_TRUE(contains(r.out,
                       "The following packages will be DOWNGRADED:\n  kubeadm\n"
                       "0 upgraded, 0 newly installed, 1 downgraded, 0 to remove and 2 not upgraded.\n"))
      << r.out;
  EXPECT_EQ(r.err, "E: Packages were downgraded and -y was used without --allow-downgrades.\n");
  r = apt_get({"install", "-y", "--allow-downgrades", "kubeadm=1.30.4-1.1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "dpkg: warning: downgrading kubeadm from 1.30.5-1.1 to 1.30.4-1.1\n");
  EXPECT_EQ(installed("kubeadm"), "1.30.4");
}

TEST_F(AptTest, WithoutYesAptAsksAndAbortsWithoutAnswer) {
  // A held package changes: apt asks, and stdin has nothing to say.
  auto r = apt_get({"install", "--allow-change-held-packages", "kubeadm=1.30.7-1.1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.ends_with("Do you want to continue? [Y/n] Abort.\n")) << r.out;
  EXPECT_EQ(installed("kubeadm"), "1.30.5");
  r = apt_get({"install", "--allow-change-held-packages", "kubeadm=1.30.7-1.1"}, "y\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(installed("kubeadm"), "1.30.7");
  // Only what was asked for, nothing held or downgraded: apt does not ask.
  on_w1("apt-mark", {"unhold", "kubectl"});
  r = apt_get({"install", "kubectl=1.30.6-1.1"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_FALSE(contains(r.out, "Do you want to continue?"));
}

TEST_F(AptTest, PolicyShowsInstalledAndCandidate) {
  switch_and_update("v1.31");
  const auto r = on_w1("apt-cache", {"policy", "cri-tools"});
  EXPECT_EQ(r.out,
            "cri-tools:\n"
            "  Installed: 1.30.1-1.1\n"
            "  Candidate: 1.31.1-1.1\n"
            "  Version table:\n"
            "     1.31.1-1.1 500\n"
            "        500 https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"
            " *** 1.30.1-1.1 100\n"
            "        100 /var/lib/dpkg/status\n");
}

TEST_F(AptTest, AHeldDependencyBreaksTheInstall) {
  on_w1("apt-mark", {"hold", "cri-tools"});
  switch_and_update("v1.31");
  const auto r = apt_get({"install", "-y", "--allow-change-held-packages", "kubeadm=1.31.2-1.1"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_TRUE(contains(r.out,
                       "The following packages have unmet dependencies:\n"
                       " kubeadm : Depends: cri-tools (>= 1.31.0) but 1.30.1-1.1 is to be installed\n"))
      << r.out;
  EXPECT_EQ(r.err, "E: Unable to correct problems, you have held broken packages.\n");
}

TEST_F(AptTest, UpgradeKeepsHeldPackagesBack) {
  switch_and_update("v1.31");
  const auto r = apt_get({"upgrade", "-y"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "The following packages have been kept back:\n  kubeadm kubectl kubelet\n")) << r.out;
  EXPECT_EQ(status(),
            "cri-tools 1.31.1-1.1 ii \n"
            "kubeadm 1.30.5-1.1 hi \n"
            "kubectl 1.30.5-1.1 hi \n"
            "kubelet 1.30.5-1.1 hi \n"
            "kubernetes-cni 1.5.1-1.1 ii \n");
}

TEST_F(AptTest, SimulationChangesNothing) {
  const auto r = apt_get({"install", "-s", "--allow-change-held-packages", "kubeadm=1.30.6-1.1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(
      contains(r.out, "Inst kubeadm [1.30.5-1.1] (1.30.6-1.1 isv:kubernetes:core:stable:v1.30:pkgs.k8s.io [amd64])\n"))
      << r.out;
  EXPECT_EQ(installed("kubeadm"), "1.30.5");
}

TEST_F(AptTest, UnreachableSourcesWarnUnlessErrorOnAny) {
  write_text(w1().root / "etc/apt/sources.list", "deb http://archive.ubuntu.com/ubuntu noble main\n");
  auto r = apt_get({"update"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out,
                       "Err:1 http://archive.ubuntu.com/ubuntu noble InRelease\n"
                       "  Temporary failure resolving 'archive.ubuntu.com'\n"))
      << r.out;
  EXPECT_TRUE(
      r.err.starts_with("W: Failed to fetch http://archive.ubuntu.com/ubuntu/dists/noble/InRelease  "
                        "Temporary failure resolving 'archive.ubuntu.com'\n"))
      << r.err;
  r = apt_get({"update", "--error-on=any", "-q"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_TRUE(contains(r.err,
                       "E: Some index files failed to download. They have been ignored, or old ones used "
                       "instead.\n"));
}

TEST_F(AptTest, DpkgQueryFormatsAndMissingPackages) {
  auto r = on_w1("dpkg-query", {"--admindir=/var/lib/dpkg", "-W", "-f=${Version}", "kubeadm"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "1.30.5-1.1");
  EXPECT_EQ(on_w1("dpkg-query", {"-W", "kubelet"}).out, "kubelet\t1.30.5-1.1\n");
  EXPECT_EQ(on_w1("dpkg-query", {"--show", "--showformat=${Package;-10}|${Version;12}|${Status}\\n", "kubectl"}).out,
            "kubectl   |  1.30.5-1.1|hold ok installed\n");
  r = on_w1("dpkg-query", {"-W", "kubeadm", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "kubeadm\t1.30.5-1.1\n");
  EXPECT_EQ(r.err, "dpkg-query: no packages found matching nope\n");
  EXPECT_EQ(on_w1("dpkg-query", {"-W", "kube*"}).out,
            "kubeadm\t1.30.5-1.1\nkubectl\t1.30.5-1.1\nkubelet\t1.30.5-1.1\nkubernetes-cni\t1.4.0-1.1\n");
}

TEST_F(AptTest, AptMarkMessages) {
  EXPECT_EQ(on_w1("apt-mark", {"hold", "kubeadm"}).out, "kubeadm was already set on hold.\n");
  EXPECT_EQ(on_w1("apt-mark", {"unhold", "cri-tools"}).out, "cri-tools was already not on hold.\n");
  auto r = on_w1("apt-mark", {"hold", "nope"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: Unable to locate package nope\nE: No packages found\n");
  r = on_w1("apt-mark", {"unhold", "kubelet", "kubectl"});
  EXPECT_EQ(r.out, "Canceled hold on kubelet.\nCanceled hold on kubectl.\n");
  EXPECT_EQ(on_w1("apt-mark", {"showhold"}).out, "kubeadm\n");
}

TEST_F(AptTest, PackageCommandsAreLoggedAndHonourFaults) {
  write_text(w1().root / "var/lib/kuphost-sandbox/faults.yaml",
             "- match: \"apt-get update\"\n  times: 1\n  exit: 100\n  stderr: \"E: injected\"\n");
  auto r = apt_get({"update"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: injected\n");
  EXPECT_EQ(apt_get({"update"}).exit_code, 0);
  on_w1("apt-mark", {"unhold", "kubeadm"});
  on_w1("dpkg-query", {"-W", "kubeadm"});
  EXPECT_EQ(read_text(w1().root / "var/log/kuphost-sandbox/commands.log"),
            "apt-get update\napt-get update\napt-mark unhold kubeadm\ndpkg-query -W kubeadm\n");
}

TEST_F(AptTest, BadCommandLinesFailAsApt) {
  auto r = apt_get({"install", "--frobnicate", "kubeadm"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: Command line option --frobnicate is not understood in combination with the other options\n");
  r = apt_get({"frob"});
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: Invalid operation frob\n");
}

}  // namespace
}  // namespace kuphost::sandbox::testing

namespace kuphost::sandbox::testing {
namespace {

// How kuphost lists another minor without switching the node (apt plugin,
// available_versions_in_minor): a private sources list and lists directory
// through apt's -o Dir:: options. The node's own index stays as it was.
TEST_F(AptTest, PrivateSourcesAndListsLeaveTheNodesIndexAlone) {
  const std::string dir = "/var/lib/kuphost/tmp/versions-1/apt-v1.31";
  const std::vector<std::string> options{"-o", "Dir::Etc::SourceList=" + dir + "/kubernetes.list",
                                         "-o", "Dir::Etc::SourceParts=/dev/null",
                                         "-o", "Dir::State::Lists=" + dir + "/lists",
                                         "-o", "Dir::Cache::pkgcache=",
                                         "-o", "Dir::Cache::srcpkgcache="};
  auto with = [&](std::vector<std::string> rest) {
    std::vector<std::string> args = options;
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
  };
  const std::string state_before = read_text(node_yaml(w1()));
  fs::create_directories(w1().root / dir.substr(1));
  write_text(w1().root / dir.substr(1) / "kubernetes.list",
             "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /\n");
  // Like apt outside /var/lib, the sandbox does not create lists/partial.
  auto r = apt_get(with({"update", "--error-on=any"}));
  EXPECT_EQ(r.exit_code, 100);
  EXPECT_EQ(r.err, "E: List directory " + dir + "/lists/partial is missing. - Acquire (2: No such file or directory)\n");
  fs::create_directories(w1().root / dir.substr(1) / "lists/partial");

  r = apt_get(with({"update", "--error-on=any"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Get:1 " + std::string(kCdn) + "v1.31/deb  InRelease [1186 B]\n" + "Get:2 " + kCdn +
                       "v1.31/deb  Packages [17.9 kB]\n" + "Fetched 19.0 kB in 1s (19.0 kB/s)\n" +
                       "Reading package lists...\n");
  EXPECT_TRUE(fs::exists(w1().root / dir.substr(1) / "lists/pkgs.k8s.io_core:_stable:_v1.31_deb_Packages"));
  r = on_w1("apt-cache", with({"madison", "kubeadm"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("   kubeadm | 1.31.4-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages\n"))
      << r.out;
  EXPECT_EQ(apt_get(with({"update"})).out,
            "Hit:1 " + std::string(kCdn) + "v1.31/deb  InRelease\nReading package lists...\n");
  // The node still sees v1.30 only, and its lists were not touched.
  EXPECT_EQ(read_text(node_yaml(w1())), state_before);
  EXPECT_TRUE(on_w1("apt-cache", {"madison", "kubeadm"}).out.starts_with("   kubeadm | 1.30.7-1.1 |"));
}

}  // namespace
}  // namespace kuphost::sandbox::testing
