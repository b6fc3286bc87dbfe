// The real apt-get / apt-cache / apt-mark / dpkg-query against local,
// signed pkgs.k8s.io-shaped repositories, on an alternate root
// (test-recipes.md §1.0, §1b). Everything lives under a temp dir; the host's
// dpkg database and apt state are checked to stay untouched.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "apt_root.h"
#include "deb_repo.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace kuphost::test::deb {
namespace {

const char *const kHostFiles[] = {"/var/lib/dpkg/status", "/var/lib/dpkg/available", "/var/lib/apt/extended_states"};
const char *const kHostDirs[] = {"/etc/apt", "/var/lib/dpkg", "/var/lib/apt", "/var/cache/apt"};

// Digest of each host file that exists ("absent" otherwise).
std::map<std::string, std::string> host_digests() { return file_digests({std::begin(kHostFiles), std::end(kHostFiles)}); }

// Paths under the host's apt/dpkg directories modified after `marker`.
std::vector<std::string> host_paths_newer_than(const fs::path &marker) {
  return paths_modified_since({std::begin(kHostDirs), std::end(kHostDirs)}, fs::last_write_time(marker));
}

std::string lines_of(const std::vector<std::string> &lines) {
  std::string s;
  for (const auto &l : lines) s += l + "\n";
  return s;
}

// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string &text, const std::string &prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  return out;
}

std::string describe(const ProcessResult &r) {
  return "rc=" + std::to_string(r.exit_code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

class RealAptTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_ = std::make_unique<TempDir>();
    marker_ = shared_->path() / "marker";
    write_file(marker_, "suite start\n");
    digests_before_ = host_digests();
    fs::create_directories(shared_->path() / "repo");
    fs::create_directories(shared_->path() / "repo-other-key");
    repo_ = std::make_unique<DebRepo>(shared_->path() / "repo");
    other_key_repo_ = std::make_unique<DebRepo>(shared_->path() / "repo-other-key", DebRepoOptions{true});
  }

  static void TearDownTestSuite() {
    // The host check also runs after every test binary (each ctest test is a
    // process of its own, so this covers each scenario).
    EXPECT_EQ(host_digests(), digests_before_);
    EXPECT_EQ(lines_of(host_paths_newer_than(marker_)), "");
    other_key_repo_.reset();
    repo_.reset();
    shared_.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(repo_) << "repository fixture failed";
    alt_ = std::make_unique<AptRoot>(work_.path() / "alt");
    alt_->install_keyring(repo_->keyring());
  }

  // apt-get update --error-on=any on `minor` of `repo`; returns the result.
  ProcessResult update(const std::string &minor, const DebRepo &repo = *repo_) {
    alt_->write_sources(repo.root(), minor);
    return alt_->apt_get({"update", "-q", "--error-on=any"});
  }

  void install(const std::vector<std::string> &pkgs) {
    std::vector<std::string> args{"install", "-y", "-q"};
    args.insert(args.end(), pkgs.begin(), pkgs.end());
    const ProcessResult r = alt_->apt_get(args);
    ASSERT_EQ(r.exit_code, 0) << describe(r);
  }

  void mark(const std::string &how, const std::vector<std::string> &pkgs) {
    std::vector<std::string> args{how};
    args.insert(args.end(), pkgs.begin(), pkgs.end());
    const ProcessResult r = alt_->apt_mark(args);
    ASSERT_EQ(r.exit_code, 0) << describe(r);
  }

  // v1.30 repository, kubeadm/kubelet/kubectl 1.30.5 installed and held.
  void install_and_hold_1_30() {
    const ProcessResult u = update("v1.30");
    ASSERT_EQ(u.exit_code, 0) << describe(u);
    install({"kubeadm=1.30.5-1.1", "kubelet=1.30.5-1.1", "kubectl=1.30.5-1.1"});
    mark("hold", {"kubeadm", "kubelet", "kubectl"});
  }

  static inline std::unique_ptr<TempDir> shared_;
  static inline fs::path marker_;
  static inline std::map<std::string, std::string> digests_before_;
  static inline std::unique_ptr<DebRepo> repo_, other_key_repo_;

  TempDir work_;
  std::unique_ptr<AptRoot> alt_;
};

TEST_F(RealAptTest, RepositoryIsFlatSignedAndPerMinor) {
  for (const char *minor : {"v1.30", "v1.31", "v1.32"}) {
    for (const char *file : {"InRelease", "Release", "Release.gpg", "Packages", "Packages.gz"})
      EXPECT_TRUE(fs::exists(repo_->minor_dir(minor) / file)) << minor << "/" << file;
  }
  EXPECT_TRUE(fs::exists(repo_->minor_dir("v1.31") / "kubeadm_1.31.2-1.1_amd64.deb"));
  EXPECT_TRUE(fs::exists(repo_->keyring()));
  size_t debs = 0;
  for (const auto &e : fs::recursive_directory_iterator(repo_->root()))
    if (e.path().extension() == ".deb") ++debs;
  EXPECT_EQ(debs, 18u);
  const std::string packages = read_file(repo_->minor_dir("v1.31") / "Packages");
  EXPECT_NE(packages.find("Filename: ./kubeadm_1.31.2-1.1_amd64.deb\n"), std::string::npos) << packages;
  EXPECT_NE(packages.find("Depends: cri-tools (>= 1.31.0)\n"), std::string::npos);
  EXPECT_NE(packages.find("Depends: kubernetes-cni (>= 1.4.0)\n"), std::string::npos);
}

TEST_F(RealAptTest, InstallsExactVersionsAndHoldsThem) {
  const ProcessResult u = update("v1.30");
  ASSERT_EQ(u.exit_code, 0) << describe(u);
  std::cout << "[real] update v1.30:\n" << describe(u);
  install({"kubeadm=1.30.5-1.1", "kubelet=1.30.5-1.1", "kubectl=1.30.5-1.1"});
  const ProcessResult hold = alt_->apt_mark({"hold", "kubeadm", "kubelet", "kubectl"});
  ASSERT_EQ(hold.exit_code, 0) << describe(hold);
  EXPECT_EQ(hold.out, "kubeadm set on hold.\nkubelet set on hold.\nkubectl set on hold.\n");
  EXPECT_EQ(lines_of(alt_->installed()),
            "cri-tools 1.30.1-1.1 ii\n"
            "kubeadm 1.30.5-1.1 hi\n"
            "kubectl 1.30.5-1.1 hi\n"
            "kubelet 1.30.5-1.1 hi\n"
            "kubernetes-cni 1.4.0-1.1 ii\n");
  const ProcessResult held = alt_->apt_mark({"showhold"});
  EXPECT_EQ(held.out, "kubeadm\nkubectl\nkubelet\n");
  const ProcessResult v = run_process({(alt_->root() / "usr/bin/kubeadm").string(), "version", "-o", "short"},
                                      alt_->env());
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "v1.30.5\n");
  EXPECT_EQ(read_file(alt_->root() / "var/log/fake-kubeadm.log"), "kubeadm version -o short\n");
}

TEST_F(RealAptTest, MadisonListsOnlyTheConfiguredMinor) {
  const std::string repo = repo_->root().string();
  ASSERT_EQ(update("v1.30").exit_code, 0);
  const ProcessResult m30 = alt_->apt_cache({"madison", "kubeadm"});
  ASSERT_EQ(m30.exit_code, 0) << describe(m30);
  // The real format: name right-aligned to the widest name, version column,
  // then the repository URI without its trailing slash, two spaces, "Packages".
  EXPECT_EQ(m30.out, "   kubeadm | 1.30.5-1.1 | file:" + repo + "/core:/stable:/v1.30/deb  Packages\n");

  const ProcessResult u = update("v1.31");
  ASSERT_EQ(u.exit_code, 0) << describe(u);
  const ProcessResult m31 = alt_->apt_cache({"madison", "kubeadm"});
  ASSERT_EQ(m31.exit_code, 0) << describe(m31);
  EXPECT_EQ(m31.out, "   kubeadm | 1.31.2-1.1 | file:" + repo + "/core:/stable:/v1.31/deb  Packages\n"
                     "   kubeadm | 1.31.0-1.1 | file:" + repo + "/core:/stable:/v1.31/deb  Packages\n");
  std::cout << "[real] madison v1.30:\n" << m30.out << "[real] madison v1.31:\n" << m31.out;
  const ProcessResult multi = alt_->apt_cache({"madison", "kubeadm", "cri-tools", "kubernetes-cni"});
  std::cout << "[real] madison multi:\n" << multi.out;
  const ProcessResult policy = alt_->apt_cache({"policy", "kubeadm"});
  std::cout << "[real] policy kubeadm (nothing installed):\n" << policy.out;
  const ProcessResult policy_all = alt_->apt_cache({"policy"});
  std::cout << "[real] policy:\n" << policy_all.out;
}

TEST_F(RealAptTest, HeldPackageBlocksMinorUpgradeUntilUnheld) {
  install_and_hold_1_30();
  const ProcessResult u = update("v1.31");
  ASSERT_EQ(u.exit_code, 0) << describe(u);
  const ProcessResult pol = alt_->apt_cache({"policy", "kubeadm"});
  std::cout << "[real] policy kubeadm (1.30.5 installed, v1.31 repo):\n" << pol.out;

  const ProcessResult held = alt_->apt_get({"install", "-y", "-q", "kubeadm=1.31.2-1.1"});
  EXPECT_EQ(held.exit_code, 100) << describe(held);
  EXPECT_EQ(lines_starting(held.err, "E: "),
            std::vector<std::string>{
                "E: Held packages were changed and -y was used without --allow-change-held-packages."})
      << describe(held);
  std::cout << "[real] install while held:\n" << describe(held);
  EXPECT_EQ(lines_of(alt_->installed()),
            "cri-tools 1.30.1-1.1 ii\nkubeadm 1.30.5-1.1 hi\nkubectl 1.30.5-1.1 hi\nkubelet 1.30.5-1.1 hi\n"
            "kubernetes-cni 1.4.0-1.1 ii\n");

  mark("unhold", {"kubeadm"});
  install({"kubeadm=1.31.2-1.1"});
  mark("hold", {"kubeadm"});
  EXPECT_EQ(lines_of(alt_->installed()),
            "cri-tools 1.31.1-1.1 ii\nkubeadm 1.31.2-1.1 hi\nkubectl 1.30.5-1.1 hi\nkubelet 1.30.5-1.1 hi\n"
            "kubernetes-cni 1.4.0-1.1 ii\n");
  const ProcessResult v = run_process({(alt_->root() / "usr/bin/kubeadm").string(), "version", "-o", "short"},
                                      alt_->env());
  EXPECT_EQ(v.out, "v1.31.2\n");
  const ProcessResult q = alt_->dpkg_query({"-W", "-f=${Package} ${Version} ${db:Status-Abbrev}\n", "kubeadm"});
  std::cout << "[real] dpkg-query kubeadm:\n" << q.out << "|\n";
  const ProcessResult unknown = alt_->apt_get({"install", "-y", "-q", "kubeadm=1.31.9-1.1"});
  EXPECT_EQ(unknown.exit_code, 100);
  std::cout << "[real] unknown version:\n" << describe(unknown);
}

TEST_F(RealAptTest, MissingMinorRepositoryFailsUpdate) {
  const ProcessResult r = update("v1.33");
  EXPECT_EQ(r.exit_code, 100) << describe(r);
  const std::string uri = "file:" + repo_->root().string() + "/core:/stable:/v1.33/deb";
  // The real lines (apt 2.6): two spaces between the URI and the file name.
  EXPECT_EQ(lines_starting(r.err, "E: "),
            std::vector<std::string>{"E: The repository '" + uri + "  Release' does not have a Release file."})
      << describe(r);
  EXPECT_EQ(lines_starting(r.out, "Err:"), std::vector<std::string>{"Err:2 " + uri + "  Release"}) << describe(r);
  EXPECT_NE(r.out.find("  File not found - " + repo_->root().string() +
                       "/core:/stable:/v1.33/deb/Release (2: No such file or directory)\n"),
            std::string::npos)
      << describe(r);
  std::cout << "[real] missing minor:\n" << describe(r);
}

TEST_F(RealAptTest, WrongSigningKeyFailsUpdate) {
  const ProcessResult r = update("v1.31", *other_key_repo_);
  EXPECT_EQ(r.exit_code, 100) << describe(r);
  const std::string uri = "file:" + other_key_repo_->root().string() + "/core:/stable:/v1.31/deb";
  EXPECT_EQ(lines_starting(r.err, "E: "),
            std::vector<std::string>{"E: The repository '" + uri + "  InRelease' is not signed."})
      << describe(r);
  const auto gpg = lines_starting(r.err, "W: GPG error: ");
  ASSERT_EQ(gpg.size(), 1u) << describe(r);
  EXPECT_EQ(gpg[0].rfind("W: GPG error: " + uri +
                             "  InRelease: The following signatures couldn't be verified because the public key is "
                             "not available: NO_PUBKEY ",
                         0),
            0u)
      << gpg[0];
  // Nothing was fetched: no lists, so nothing to install.
  EXPECT_EQ(alt_->apt_cache({"madison", "kubeadm"}).out, "");
  std::cout << "[real] wrong key:\n" << describe(r);
  const ProcessResult plain = alt_->apt_get({"update", "-q"});
  std::cout << "[real] wrong key without --error-on:\n" << describe(plain);
}

TEST_F(RealAptTest, HostDpkgAndAptStateUntouched) {
  install_and_hold_1_30();
  ASSERT_EQ(update("v1.31").exit_code, 0);
  mark("unhold", {"kubeadm", "kubelet", "kubectl"});
  install({"kubeadm=1.31.2-1.1", "kubelet=1.31.2-1.1", "kubectl=1.31.2-1.1"});
  mark("hold", {"kubeadm", "kubelet", "kubectl"});
  EXPECT_NE(update("v1.33").exit_code, 0);
  EXPECT_EQ(host_digests(), digests_before_);
  EXPECT_EQ(lines_of(host_paths_newer_than(marker_)), "");
  // Everything apt and dpkg wrote is under the alternate root.
  EXPECT_TRUE(fs::exists(alt_->root() / "var/lib/apt/extended_states"));
  EXPECT_TRUE(fs::exists(alt_->root() / "var/log/dpkg.log"));
}

}  // namespace
}  // namespace kuphost::test::deb
