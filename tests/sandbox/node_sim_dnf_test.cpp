// The simulated dnf (and yum, the same program on RHEL 9) and rpm on a
// rhel-9 node, against cluster/packages.yaml with the repo file's exclude=.
#include <gtest/gtest.h>

#include "node_sim_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

class DnfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Spec spec = test_spec(tmp_.path() / "sb");
    spec.distro = "rhel-9";
    sb_ = make_sandbox(spec);
  }
  const Node &w1() { return *sb_.find("w1"); }
  RunResult on_w1(const std::string &command, const std::vector<std::string> &args, const std::string &in = "") {
    return run_on(w1(), command, args, in);
  }
  RunResult dnf(const std::vector<std::string> &args, const std::string &in = "") { return on_w1("dnf", args, in); }
  fs::path repo_file() { return w1().root / "etc/yum.repos.d/kubernetes.repo"; }
  // The change-package-repository docs' edit: baseurl and gpgkey to the new minor.
  void switch_minor(const std::string &from, const std::string &to) {
    std::string text = read_text(repo_file());
    for (auto at = text.find("/" + from + "/"); at != std::string::npos; at = text.find("/" + from + "/"))
      text.replace(at + 1, from.size(), to);
    write_text(repo_file(), text);
  }
  void comment_out_exclude() {
    std::string text = read_text(repo_file());
    text.replace(text.find("exclude="), 8, "#exclude=");
    write_text(repo_file(), text);
  }
  std::string rpm_version(const std::string &package) {
    return on_w1("rpm", {"-q", "--qf", "%{VERSION}-%{RELEASE}\\n", package}).out;
  }
  // dnf's output after its metadata line (download or expiration check).
  static std::string after_first_line(const std::string &text) { return text.substr(text.find('\n') + 1); }

  TempDir tmp_;
  Sandbox sb_;
};

TEST_F(DnfTest, StartsWithTheClusterVersionAndTheExcludeAsHold) {
  const auto r = on_w1("rpm", {"-qa", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "cri-tools 1.30.1-150500.1.1\n"
            "kubeadm 1.30.5-150500.1.1\n"
            "kubectl 1.30.5-150500.1.1\n"
            "kubelet 1.30.5-150500.1.1\n"
            "kubernetes-cni 1.4.0-150500.1.1\n");
  EXPECT_EQ(YAML::LoadFile(node_yaml(w1()).string())["heldPackages"].size(), 0u);
  EXPECT_TRUE(contains(read_text(repo_file()), "\nexclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n"));
  for (const char *command : {"dnf", "yum", "rpm"}) EXPECT_TRUE(fs::is_symlink(w1().root / "usr/bin" / command));
  for (const char *command : {"apt-get", "apt-cache", "apt-mark", "dpkg-query"})
    EXPECT_FALSE(fs::exists(w1().root / "usr/bin" / command));
}

TEST_F(DnfTest, RpmQueries) {
  auto r = on_w1("rpm", {"-q", "kubeadm"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "kubeadm-1.30.5-150500.1.1.x86_64\n");
  EXPECT_EQ(rpm_version("kubelet"), "1.30.5-150500.1.1\n");
  r = on_w1("rpm", {"-q", "kubeadm", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "kubeadm-1.30.5-150500.1.1.x86_64\npackage nope is not installed\n");
  r = on_w1("rpm", {"-q", "--queryformat=%-10{NAME}|%{ARCH}\\n", "kubectl"});
  EXPECT_EQ(r.out, "kubectl   |x86_64\n");
  r = on_w1("rpm", {"-q", "--qf", "%{FOO}", "kubeadm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: incorrect format: unknown tag: \"FOO\"\n");
}

TEST_F(DnfTest, ListWithAnActiveExcludeFindsNothing) {
  auto r = dnf({"list", "--showduplicates", "kubeadm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: No matching Packages to list\n");
  EXPECT_TRUE(r.out.starts_with("Last metadata expiration check: ")) << r.out;

  for (const char *bypass :
       {"--disableexcludes=kubernetes", "--setopt=disable_excludes=kubernetes", "--setopt=kubernetes.exclude="}) {
    r = dnf({"list", "--showduplicates", "kubeadm", bypass});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string expected =
        "Installed Packages\n"
        "kubeadm.x86_64                    1.30.5-150500.1.1                   @kubernetes\n"
        "Available Packages\n";
    for (int patch : {0, 1, 2, 3, 4, 6, 7})
      expected += "kubeadm.x86_64                    1.30." + std::to_string(patch) +
                  "-150500.1.1                   kubernetes\n";
    EXPECT_EQ(after_first_line(r.out), expected) << bypass;
  }
}

TEST_F(DnfTest, MinorUpgradeWithDisableExcludes) {
  switch_minor("v1.30", "v1.31");
  auto r = dnf({"install", "-y", "kubeadm-1.31.2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.out, "All matches were filtered out by exclude filtering for argument: kubeadm-1.31.2\n"))
      << r.out;
  EXPECT_EQ(r.err, "Error: Unable to find a match: kubeadm-1.31.2\n");

  r = dnf({"install", "-y", "kubeadm-1.31.2", "--disableexcludes=kubernetes"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char *line :
       {"Dependencies resolved.\n", "Upgrading:\n", "Upgrade  2 Packages\n",
        "Upgraded:\n  cri-tools-1.31.1-150500.1.1.x86_64\n  kubeadm-1.31.2-150500.1.1.x86_64\n", "Complete!\n"})
    EXPECT_TRUE(contains(r.out, line)) << line << "\n" << r.out;
  EXPECT_EQ(on_w1("kubeadm", {"version", "-o", "short"}).out, "v1.31.2\n");
  EXPECT_EQ(rpm_version("cri-tools"), "1.31.1-150500.1.1\n");  // kubeadm 1.31 needs cri-tools >= 1.31.0

  // The docs' wildcard absorbs the release.
  r = dnf({"install", "-y", "kubelet-1.31.2-*", "kubectl-1.31.2-*", "--disableexcludes=kubernetes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(on_w1("kubelet", {"--version"}).out, "Kubernetes v1.31.2\n");
  EXPECT_EQ(rpm_version("kubernetes-cni"), "1.4.0-150500.1.1\n");
  EXPECT_TRUE(YAML::LoadFile(node_yaml(w1()).string())["units"]["kubelet"]["needsDaemonReload"].as<bool>());
  on_w1("systemctl", {"daemon-reload"});
  on_w1("systemctl", {"restart", "kubelet"});
  EXPECT_EQ(cluster_node(sb_, "w1")["kubeletVersion"].as<std::string>(), "v1.31.2");
}

TEST_F(DnfTest, ACommentedOutExcludeNeedsNoFlagAndHoldsNothing) {
  // With the exclude active, an upgrade of everything leaves Kubernetes alone.
  auto r = dnf({"upgrade", "-y"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(after_first_line(r.out), "Dependencies resolved.\nNothing to do.\nComplete!\n");

  comment_out_exclude();
  r = dnf({"list", "kubeadm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(after_first_line(r.out),
            "Installed Packages\n"
            "kubeadm.x86_64                    1.30.5-150500.1.1                   @kubernetes\n"
            "Available Packages\n"
            "kubeadm.x86_64                    1.30.7-150500.1.1                   kubernetes\n");
  r = dnf({"upgrade", "-y", "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(rpm_version("kubeadm"), "1.30.7-150500.1.1\n");
  EXPECT_EQ(rpm_version("kubelet"), "1.30.7-150500.1.1\n");
}

TEST_F(DnfTest, UnknownVersionIsNoMatch) {
  switch_minor("v1.30", "v1.31");
  const auto r = dnf({"install", "-y", "kubeadm-1.31.9", "--disableexcludes=kubernetes"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.out, "No match for argument: kubeadm-1.31.9\n")) << r.out;
  EXPECT_EQ(r.err, "Error: Unable to find a match: kubeadm-1.31.9\n");
  EXPECT_EQ(rpm_version("kubeadm"), "1.30.5-150500.1.1\n");
}

TEST_F(DnfTest, DowngradeAndInstallMoveEitherWay) {
  auto r = dnf({"downgrade", "-y", "kubeadm-1.30.4", "--disableexcludes=kubernetes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Downgrading:\n kubeadm ")) << r.out;
  EXPECT_EQ(rpm_version("kubeadm"), "1.30.4-150500.1.1\n");
  r = dnf({"install", "-y", "kubeadm-1.30.5-150500.1.1", "--disableexcludes=kubernetes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(rpm_version("kubeadm"), "1.30.5-150500.1.1\n");
  r = dnf({"install", "-y", "kubeadm-1.30.5", "--disableexcludes=kubernetes"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "Package kubeadm-1.30.5-150500.1.1.x86_64 is already installed.\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "Nothing to do.\n"));
}

TEST_F(DnfTest, AMissingMinorRepositoryFailsEveryCommand) {
  switch_minor("v1.30", "v1.33");
  const auto r = dnf({"list", "--showduplicates", "kubeadm", "--disableexcludes=kubernetes"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "Errors during downloading metadata for repository 'kubernetes':\n"
            "  - Status code: 404 for https://pkgs.k8s.io/core:/stable:/v1.33/rpm/repodata/repomd.xml "
            "(IP: 18.172.134.4)\n"
            "Error: Failed to download metadata for repo 'kubernetes': Cannot download repomd.xml: Cannot download "
            "repodata/repomd.xml: All mirrors were tried\n");
  EXPECT_EQ(dnf({"makecache"}).exit_code, 1);
  EXPECT_EQ(dnf({"install", "-y", "kubeadm-1.33.0", "--disableexcludes=kubernetes"}).exit_code, 1);
}

TEST_F(DnfTest, TheLegacyRepositoryIsGone) {
  write_text(repo_file(),
             "[kubernetes]\nname=Kubernetes\n"
             "baseurl=https://packages.cloud.google.com/yum/repos/kubernetes-el7-$basearch\n"
             "enabled=1\ngpgcheck=1\nexclude=kube*\n");
  const auto r = dnf({"makecache"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err,
                       "Status code: 404 for "
                       "https://packages.cloud.google.com/yum/repos/kubernetes-el7-x86_64/repodata/repomd.xml"))
      << r.err;
}

TEST_F(DnfTest, WithoutYesDnfAsksAndAbortsWithoutAnswer) {
  auto r = dnf({"install", "kubeadm-1.30.6", "--disableexcludes=kubernetes"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.ends_with("Is this ok [y/N]: ")) << r.out;
  EXPECT_EQ(r.err, "Operation aborted.\n");
  EXPECT_EQ(rpm_version("kubeadm"), "1.30.5-150500.1.1\n");
  r = dnf({"install", "kubeadm-1.30.6", "--disableexcludes=kubernetes"}, "y\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(rpm_version("kubeadm"), "1.30.6-150500.1.1\n");
}

TEST_F(DnfTest, YumIsTheSameProgram) {
  const std::vector<std::string> args{"list", "--showduplicates", "kubelet", "--disableexcludes=kubernetes"};
  const auto with_dnf = dnf(args), with_yum = on_w1("yum", args);
  EXPECT_EQ(with_yum.exit_code, 0);
  EXPECT_EQ(after_first_line(with_yum.out), after_first_line(with_dnf.out));
  EXPECT_TRUE(contains(read_text(w1().root / "var/log/kuphost-sandbox/commands.log"),
                       "yum list --showduplicates kubelet --disableexcludes=kubernetes\n"));
}

TEST_F(DnfTest, MetadataIsFetchedForANewBaseurlAndAfterClean) {
  EXPECT_TRUE(dnf({"makecache"}).out.starts_with("Last metadata expiration check: "));
  switch_minor("v1.30", "v1.31");
  auto r = dnf({"makecache"});
  EXPECT_EQ(r.out,
            "Kubernetes                                       31 kB/s |  17 kB     00:00    \n"
            "Metadata cache created.\n");
  EXPECT_TRUE(dnf({"list", "--showduplicates", "kubeadm", "--disableexcludes=kubernetes"})
                  .out.starts_with("Last metadata expiration check: "));
  EXPECT_EQ(dnf({"clean", "all"}).out, "14 files removed\n");  // the v1.30 and v1.31 caches
  EXPECT_TRUE(dnf({"makecache"}).out.starts_with("Kubernetes "));
}

TEST_F(DnfTest, BadCommandLinesFailAsDnf) {
  auto r = dnf({"frob"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("No such command: frob. Please use /usr/bin/dnf --help\n")) << r.err;
  r = dnf({"--frob", "list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Command line error: unrecognized arguments: --frob\n")) << r.err;
  r = dnf({"install", "-y"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: Need to pass a list of pkgs to install\n");
}

}  // namespace
}  // namespace kuphost::sandbox::testing

namespace kuphost::sandbox::testing {
namespace {

// How kuphost lists another minor without switching the node (yum plugin,
// available_versions_in_minor): an ad-hoc repository from the command line,
// as test-recipes.md §2 runs real dnf; kubernetes.repo and the node's
// metadata cache stay as they were.
TEST_F(DnfTest, RepoFromPathListsAnotherMinorWithoutTouchingTheNode) {
  const std::string state_before = read_text(node_yaml(w1()));
  const std::string repo_before = read_text(w1().root / "etc/yum.repos.d/kubernetes.repo");
  auto r = dnf({"--repofrompath=kuphost-v1.31,https://pkgs.k8s.io/core:/stable:/v1.31/rpm/", "--repo=kuphost-v1.31",
                "--disableexcludes=all", "--setopt=cachedir=/var/lib/kuphost/tmp/x/dnf-cache", "list",
                "--showduplicates", "kubeadm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("Added kuphost-v1.31 repo from https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\n"))
      << r.out;
  for (int patch = 0; patch <= 4; ++patch)
    EXPECT_TRUE(contains(r.out, "kubeadm.x86_64                    1.31." + std::to_string(patch) +
                                    "-150500.1.1                   kuphost-v1.31\n"))
        << r.out;
  EXPECT_FALSE(contains(r.out, "1.30.6")) << "--repo disables the node's own repository:\n" << r.out;
  EXPECT_EQ(read_text(node_yaml(w1())), state_before);
  EXPECT_EQ(read_text(w1().root / "etc/yum.repos.d/kubernetes.repo"), repo_before);

  r = dnf({"--repofrompath=kuphost-v1.33,https://pkgs.k8s.io/core:/stable:/v1.33/rpm/", "--repo=kuphost-v1.33",
           "list", "--showduplicates", "kubeadm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Status code: 404 for https://pkgs.k8s.io/core:/stable:/v1.33/rpm/repodata/repomd.xml"))
      << r.err;
  r = dnf({"--repofrompath=no-comma", "list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Command line error: argument --repofrompath: bad format: 'no-comma'")) << r.err;
}

}  // namespace
}  // namespace kuphost::sandbox::testing
