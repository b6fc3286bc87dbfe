// The real dnf (4.14) and rpm against local pkgs.k8s.io-shaped rpm
// repositories, in a private installroot (test-recipes.md §2). The exact
// output lines asserted here document the real format that the sandbox's
// node-sim dnf/rpm simulation has to match. Nothing on the host is touched:
// HOME with .rpmmacros (%_dbpath /var/lib/rpm), dnf --installroot with its own
// dnf.conf, ad-hoc caches under the temp dir (see HostUntouched).
#include <gtest/gtest.h>

#include <iostream>
#include <memory>

#include "dnf_root.h"
#include "rpm_repo.h"
#include "test_support.h"

namespace fs = std::filesystem;
using kuphost::test::ProcessResult;
using kuphost::test::TempDir;
using namespace kuphost::test::rpm;

namespace {

const std::string kRel = std::string("-") + kRelease;

// One row of `dnf list` as dnf 4 lays it out for a non-tty (80 columns):
// NAME.ARCH padded to `w1`, EVR padded to `w2`, then the repository.
std::string list_row(const std::string &name_arch, const std::string &evr, const std::string &repo, size_t w1,
                     size_t w2) {
  return name_arch + std::string(w1 - name_arch.size(), ' ') + evr + std::string(w2 - evr.size(), ' ') + repo;
}

std::string describe(const ProcessResult &r) {
  return "rc=" + std::to_string(r.exit_code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

// Prints the real output in the test log (the record of dnf's format).
void record(const std::string &what, const ProcessResult &r) {
  std::cout << "[real dnf] " << what << "\n" << describe(r) << "---\n";
}

class RealDnf : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    repo_dir_ = std::make_unique<TempDir>();
    repo_ = std::make_unique<RpmRepo>(repo_dir_->path() / "repo");
  }
  static void TearDownTestSuite() {
    repo_.reset();
    repo_dir_.reset();
  }
  void SetUp() override {
    make_rpm_home(work_ / "rpmhome");
    root_ = std::make_unique<DnfRoot>(work_ / "root", work_ / "rpmhome", repo_->baseurl("v1.30"));
  }

  void install_130() {
    const auto r = root_->dnf({"install", "-y", "kubeadm-1.30.5", "kubelet-1.30.5", "kubectl-1.30.5",
                               "--disableexcludes=kubernetes"});
    ASSERT_EQ(r.exit_code, 0) << describe(r);
  }

  static std::unique_ptr<TempDir> repo_dir_;
  static std::unique_ptr<RpmRepo> repo_;
  TempDir work_;
  std::unique_ptr<DnfRoot> root_;
};

std::unique_ptr<TempDir> RealDnf::repo_dir_;
std::unique_ptr<RpmRepo> RealDnf::repo_;

TEST_F(RealDnf, RepositoriesHaveThePkgsK8sIoLayout) {
  for (const auto &p : repo_->packages())
    EXPECT_TRUE(fs::exists(repo_->minor_dir(p.minor) / (p.name + "-" + p.version + kRel + ".noarch.rpm")))
        << p.name << " " << p.version;
  EXPECT_TRUE(fs::exists(repo_->minor_dir("v1.30") / "repodata/repomd.xml"));
  EXPECT_TRUE(fs::exists(repo_->minor_dir("v1.31") / "repodata/repomd.xml"));
  EXPECT_EQ(repo_->packages().size(), 13u);
  // The spec's Requires, as the debs' Depends.
  const auto req = root_->rpm({"-qp", "--requires", (repo_->minor_dir("v1.31") / ("kubeadm-1.31.2" + kRel + ".noarch.rpm")).string()});
  ASSERT_EQ(req.exit_code, 0) << describe(req);
  EXPECT_NE(req.out.find("cri-tools >= 1.31.0"), std::string::npos) << req.out;
  EXPECT_EQ(req.out.find("/bin/sh"), std::string::npos) << "AutoReqProv: no must drop /bin/sh\n" << req.out;
}

TEST_F(RealDnf, InstallPinnedVersionWithDisableExcludes) {
  install_130();
  EXPECT_EQ(root_->installed(), (std::vector<std::string>{"cri-tools 1.30.1" + kRel, "kubeadm 1.30.5" + kRel,
                                                         "kubectl 1.30.5" + kRel, "kubelet 1.30.5" + kRel,
                                                         "kubernetes-cni 1.4.0" + kRel}));
  const auto qa = root_->rpm({"-qa"});
  record("rpm --root=R -qa", qa);
  EXPECT_NE(qa.out.find("kubeadm-1.30.5" + kRel + ".noarch\n"), std::string::npos) << qa.out;
  const auto q = root_->rpm({"-q", "kubeadm"});
  EXPECT_EQ(q.out, "kubeadm-1.30.5" + kRel + ".noarch\n");
  const auto missing = root_->rpm({"-q", "containerd"});
  record("rpm --root=R -q containerd", missing);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "package containerd is not installed\n");
  // The rpmdb lives in the installroot, at RHEL's path, and nowhere else.
  EXPECT_TRUE(fs::exists(root_->root() / "var/lib/rpm/rpmdb.sqlite"));
  EXPECT_FALSE(fs::exists(root_->root() / "root/.rpmdb"));
  const auto v = root_->run_payload("kubeadm", {"version", "-o", "short"});
  EXPECT_EQ(v.out, "v1.30.5\n");
}

TEST_F(RealDnf, ListShowDuplicatesHonoursExclude) {
  const auto hidden = root_->dnf({"list", "--showduplicates", "kubeadm"});
  record("dnf -q list --showduplicates kubeadm (exclude active)", hidden);
  EXPECT_EQ(hidden.exit_code, 1);
  EXPECT_EQ(hidden.out, "");
  EXPECT_EQ(hidden.err, "Error: No matching Packages to list\n");

  const auto shown = root_->dnf({"list", "--showduplicates", "kubeadm", "--disableexcludes=kubernetes"});
  record("dnf -q list --showduplicates kubeadm --disableexcludes=kubernetes", shown);
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_EQ(shown.err, "");
  EXPECT_EQ(shown.out, "Available Packages\n" +
                           list_row("kubeadm.noarch", "1.30.5" + kRel, "kubernetes", 33, 37) + "\n");

  install_130();
  const auto after = root_->dnf({"list", "--showduplicates", "kubeadm", "--disableexcludes=kubernetes"});
  record("dnf -q list --showduplicates kubeadm --disableexcludes=kubernetes (installed)", after);
  EXPECT_EQ(after.out, "Installed Packages\n" + list_row("kubeadm.noarch", "1.30.5" + kRel, "@kubernetes", 33, 36) +
                           "\nAvailable Packages\n" +
                           list_row("kubeadm.noarch", "1.30.5" + kRel, "kubernetes ", 33, 36) + "\n");
}

TEST_F(RealDnf, MinorSwitchUpgradesKubeadmAndCriTools) {
  install_130();
  root_->set_baseurl(repo_->baseurl("v1.31"));
  const auto r = root_->dnf({"install", "-y", "kubeadm-1.31.2", "--disableexcludes=kubernetes"});
  record("dnf -q install -y kubeadm-1.31.2 --disableexcludes=kubernetes", r);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(root_->installed(), (std::vector<std::string>{"cri-tools 1.31.1" + kRel, "kubeadm 1.31.2" + kRel,
                                                         "kubectl 1.30.5" + kRel, "kubelet 1.30.5" + kRel,
                                                         "kubernetes-cni 1.4.0" + kRel}));
  EXPECT_EQ(root_->run_payload("kubeadm", {"version", "-o", "short"}).out, "v1.31.2\n");
  const auto list = root_->dnf({"list", "--showduplicates", "kubeadm", "--disableexcludes=kubernetes"});
  record("dnf -q list --showduplicates kubeadm --disableexcludes=kubernetes (v1.31)", list);
  const auto lines = lines_of(list.out);
  ASSERT_EQ(lines.size(), 5u) << list.out;
  EXPECT_EQ(lines[3].substr(0, 33), "kubeadm.noarch" + std::string(19, ' '));
  EXPECT_NE(lines[3].find("1.31.0" + kRel), std::string::npos);
  EXPECT_NE(lines[4].find("1.31.2" + kRel), std::string::npos);
}

TEST_F(RealDnf, AdHocRepoFromPathListsAnotherMinor) {
  install_130();
  TempDir scratch;
  const std::string url = "file://" + repo_->minor_dir("v1.31").string();
  const std::vector<std::string> args{"--repofrompath=kuphost-v1.31," + url, "--repo=kuphost-v1.31",
                                      "--disableexcludes=all", "--setopt=cachedir=" + scratch.path().string(),
                                      "list", "--showduplicates", "kubeadm"};
  const auto r = root_->dnf(args, /*quiet=*/false);
  record("dnf --repofrompath=kuphost-v1.31,URL --repo=kuphost-v1.31 --disableexcludes=all --setopt=cachedir=S list "
         "--showduplicates kubeadm",
         r);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.err, "");
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 7u) << r.out;
  EXPECT_EQ(lines[0], "Added kuphost-v1.31 repo from " + url);
  // Download progress line, e.g. "kuphost-v1.31   674 kB/s | 1.3 kB     00:00    ".
  EXPECT_EQ(lines[1].rfind("kuphost-v1.31 ", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find("/s | "), std::string::npos) << lines[1];
  EXPECT_EQ(lines[2], "Installed Packages");
  EXPECT_EQ(lines[3], list_row("kubeadm.noarch", "1.30.5" + kRel, "@kubernetes  ", 32, 35));
  EXPECT_EQ(lines[4], "Available Packages");
  EXPECT_EQ(lines[5], list_row("kubeadm.noarch", "1.31.0" + kRel, "kuphost-v1.31", 32, 35));
  EXPECT_EQ(lines[6], list_row("kubeadm.noarch", "1.31.2" + kRel, "kuphost-v1.31", 32, 35));

  // Quiet: only the table.
  const auto q = root_->dnf(args);
  record("same with -q", q);
  ASSERT_EQ(q.exit_code, 0) << describe(q);
  EXPECT_EQ(lines_of(q.out).size(), 5u) << q.out;
  EXPECT_EQ(q.out.find("Added "), std::string::npos);
  // The .repo file still points at v1.30 and the host cache was not used.
  EXPECT_NE(kuphost::test::read_file(root_->repo_file()).find("/v1.30/rpm/"), std::string::npos);
  EXPECT_FALSE(kuphost::test::snapshot_tree(scratch.path()).empty());
}

TEST_F(RealDnf, MissingMinorRepositoryFails) {
  root_->set_baseurl(repo_->baseurl("v1.33"));
  const std::string error =
      "Error: Failed to download metadata for repo 'kubernetes': Cannot download repomd.xml: Cannot download "
      "repodata/repomd.xml: All mirrors were tried\n";
  const auto q = root_->dnf({"list", "--showduplicates", "kubeadm", "--disableexcludes=kubernetes"});
  record("dnf -q list (baseurl v1.33 missing)", q);
  EXPECT_EQ(q.exit_code, 1);
  EXPECT_EQ(q.out, "");
  EXPECT_EQ(q.err, error);
  const auto i = root_->dnf({"install", "-y", "kubeadm-1.33.0", "--disableexcludes=kubernetes"}, false);
  record("dnf install -y kubeadm-1.33.0 (baseurl v1.33 missing, not quiet)", i);
  EXPECT_EQ(i.exit_code, 1);
  // Not quiet: a progress line on stdout named after the repository's name=.
  EXPECT_EQ(i.out.rfind("Kubernetes ", 0), 0u) << describe(i);
  EXPECT_NE(i.err.find(error), std::string::npos) << describe(i);
  EXPECT_NE(i.err.find("Errors during downloading metadata for repository 'kubernetes':"), std::string::npos)
      << describe(i);
  EXPECT_TRUE(root_->installed().empty());
}

// Host state that the tests must never touch.
struct HostState {
  bool dot_rpmdb = false;
  kuphost::test::TreeSnapshot dot_rpmdb_tree, var_lib_rpm, etc_dnf, etc_yum_repos, var_cache_dnf;
  bool etc_yum_repos_exists = false, dnf_log = false;
  static HostState take() {
    HostState s;
    s.dot_rpmdb = fs::exists("/root/.rpmdb");
    s.dot_rpmdb_tree = kuphost::test::snapshot_tree("/root/.rpmdb");
    s.var_lib_rpm = kuphost::test::snapshot_tree("/var/lib/rpm");
    s.etc_dnf = kuphost::test::snapshot_tree("/etc/dnf");
    s.etc_yum_repos_exists = fs::exists("/etc/yum.repos.d");
    s.etc_yum_repos = kuphost::test::snapshot_tree("/etc/yum.repos.d");
    s.var_cache_dnf = kuphost::test::snapshot_tree("/var/cache/dnf");
    s.dnf_log = fs::exists("/var/log/dnf.log");
    return s;
  }
};

// Self-contained (ctest runs each test in its own process): build a repository,
// install, switch minors, list ad hoc, query; then compare the host.
TEST(RealDnfHost, HostUntouched) {
  using kuphost::test::diff_trees;
  const HostState before = HostState::take();
  {
    TempDir work;
    RpmRepo repo(work.path() / "repo");
    make_rpm_home(work.path() / "rpmhome");
    DnfRoot root(work.path() / "root", work.path() / "rpmhome", repo.baseurl("v1.30"));
    ASSERT_EQ(root.dnf({"install", "-y", "kubeadm-1.30.5", "kubelet-1.30.5", "kubectl-1.30.5",
                        "--disableexcludes=kubernetes"})
                  .exit_code,
              0);
    root.set_baseurl(repo.baseurl("v1.31"));
    ASSERT_EQ(root.dnf({"install", "-y", "kubeadm-1.31.2", "--disableexcludes=kubernetes"}).exit_code, 0);
    ASSERT_EQ(root.dnf({"--repofrompath=kuphost-v1.30,file://" + repo.minor_dir("v1.30").string(),
                        "--repo=kuphost-v1.30", "--disableexcludes=all",
                        "--setopt=cachedir=" + (work.path() / "scratch").string(), "list", "--showduplicates",
                        "kubeadm"})
                  .exit_code,
              0);
    ASSERT_EQ(root.rpm({"-qp", (repo.minor_dir("v1.31") / ("kubeadm-1.31.2" + kRel + ".noarch.rpm")).string()})
                  .exit_code,
              0);
    EXPECT_EQ(root.installed().size(), 5u);
    EXPECT_FALSE(fs::exists(root.root() / "root/.rpmdb"));
  }
  const HostState after = HostState::take();
  EXPECT_EQ(after.dot_rpmdb, before.dot_rpmdb) << "/root/.rpmdb created or removed";
  EXPECT_EQ(diff_trees(before.dot_rpmdb_tree, after.dot_rpmdb_tree), "");
  EXPECT_EQ(diff_trees(before.var_lib_rpm, after.var_lib_rpm), "");
  EXPECT_EQ(diff_trees(before.etc_dnf, after.etc_dnf), "");
  EXPECT_EQ(after.etc_yum_repos_exists, before.etc_yum_repos_exists);
  EXPECT_EQ(diff_trees(before.etc_yum_repos, after.etc_yum_repos), "");
  EXPECT_EQ(diff_trees(before.var_cache_dnf, after.var_cache_dnf), "");
  EXPECT_EQ(after.dnf_log, before.dnf_log);
}

}  // namespace
