// kuphost's apt and yum plugins against the REAL apt and dnf: sandboxes made
// with `--packages real` (debian-12: apt/dpkg on an alternate root; rhel-9:
// dnf --installroot), served by the sandbox's local, signed, per-minor
// pkgs.k8s.io mirror, upgraded with `kuphost --sandbox DIR --node N apply`.
// Package state is read back with this machine's dpkg-query/apt-mark/rpm, and
// this machine's own package databases are checked to stay untouched.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <regex>

#include "cluster_test_support.h"
#include "package_root_view.h"

namespace kuphost::test {
namespace {
namespace fs = std::filesystem;

std::string all_output(const ProcessResult &r) { return r.out + r.err; }

std::string family_of(const std::string &distro) { return distro == "rhel-9" ? "rhel" : "debian"; }

std::string replace_all(std::string text, const std::string &from, const std::string &to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Index of the first line at or after `from` that contains `needle`, or -1.
int find_line(const std::vector<std::string> &lines, const std::string &needle, int from = 0) {
  for (int i = std::max(from, 0); i < static_cast<int>(lines.size()); ++i)
    if (lines[static_cast<size_t>(i)].find(needle) != std::string::npos) return i;
  return -1;
}

// A gpg key nobody trusts, in a short /tmp GNUPGHOME (gpg-agent's socket
// path has a length limit).
class OtherKey {
 public:
  OtherKey() {
    std::string pattern = "/tmp/kuphost-test-gpg-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    home_ = pattern;
    const auto r = run_process({"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                                "--quick-gen-key", kUid, "ed25519", "sign", "never"},
                               env());
    if (r.exit_code != 0) throw std::runtime_error("gpg key generation failed: " + r.err);
  }
  ~OtherKey() {
    run_process({"gpgconf", "--kill", "all"}, env());
    std::error_code ignored;
    fs::remove_all(home_, ignored);
  }
  // HOME: Debian's rpm keeps its database in ~/.rpmdb, here the key's directory.
  std::vector<std::string> env() const { return {"GNUPGHOME=" + home_.string(), "HOME=" + home_.string()}; }
  static constexpr const char *kUid = "kuphost test other key <other@example.invalid>";

 private:
  fs::path home_;
};

void must(const std::vector<std::string> &argv, const std::vector<std::string> &env, const fs::path &cwd = {}) {
  std::vector<std::string> full = argv;
  if (!cwd.empty()) {
    full = {"env", "-C", cwd.string()};
    full.insert(full.end(), argv.begin(), argv.end());
  }
  const auto r = run_process(full, env);
  if (r.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + r.err + r.out);
}

// Re-signs one minor's repository of the mirror with a key the nodes do not
// trust, as a compromised or misconfigured mirror would serve it.
void resign_with_untrusted_key(const fs::path &minor_dir, const std::string &family) {
  const OtherKey key;
  if (family == "debian") {
    must({"gpg", "--batch", "--yes", "--clearsign", "-o", "InRelease", "Release"}, key.env(), minor_dir);
    must({"gpg", "--batch", "--yes", "-abs", "-o", "Release.gpg", "Release"}, key.env(), minor_dir);
    return;
  }
  std::vector<std::string> sign{"rpmsign", "--addsign", "--define", "__gpg /usr/bin/gpg", "--define",
                                std::string("_gpg_name ") + OtherKey::kUid};
  for (const auto &e : fs::directory_iterator(minor_dir))
    if (e.path().extension() == ".rpm") sign.push_back(e.path().string());
  must(sign, key.env());
  must({"createrepo_c", "--quiet", "--update", minor_dir.string()}, key.env());
  must({"gpg", "--batch", "--yes", "--detach-sign", "--armor", "repodata/repomd.xml"}, key.env(), minor_dir);
}

class RealPackageSandbox : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    host_before_ = host_package_state_digest();
    suite_start_ = fs::file_time_type::clock::now();
  }
  // Each scenario must leave this machine's dpkg, apt and rpm state alone.
  static void TearDownTestSuite() {
    EXPECT_EQ(host_package_state_digest(), host_before_);
    std::string newer;
    for (const auto &p : host_package_paths_newer_than(suite_start_)) newer += p + "\n";
    EXPECT_EQ(newer, "");
  }

  void SetUp() override {
    cluster_ = std::make_unique<SandboxCluster>(
        SandboxClusterOptions{"cp1:first-control-plane,w1:worker", "v1.30.5", GetParam(), "real"});
    cp1_ = std::make_unique<PackageRootView>(cluster_->root("cp1"), family_of(GetParam()));
    w1_ = std::make_unique<PackageRootView>(cluster_->root("w1"), family_of(GetParam()));
    original_repository_ = read_file(cp1_->repository_file());
  }

  std::string format() const { return family_of(GetParam()) == "debian" ? "deb" : "rpm"; }
  fs::path mirror_minor_dir(const std::string &minor) const {
    return cluster_->dir() / "cluster/pkgs.k8s.io/core:/stable:" / minor / format();
  }
  // The host's copies of the repository file (/var/lib/kuphost/backups/<run>/...).
  std::vector<fs::path> repository_backups(const std::string &node) const {
    std::vector<fs::path> out;
    const fs::path runs = cluster_->root(node) / "var/lib/kuphost/backups";
    const fs::path relative = fs::relative(cp1_->repository_file(), cluster_->root("cp1"));
    if (!fs::exists(runs)) return out;
    for (const auto &run : fs::directory_iterator(runs))
      if (fs::exists(run.path() / relative)) out.push_back(run.path() / relative);
    return out;
  }
  std::vector<std::string> commands(const std::string &node) const {
    return read_lines(cluster_->root(node) / "var/log/kuphost-sandbox/commands.log");
  }
  std::map<std::string, std::string> at(const PackageRootView &view, const std::string &kube,
                                        const std::string &cri, const std::string &cni) const {
    return {{"kubeadm", view.package_version(kube)},
            {"kubelet", view.package_version(kube)},
            {"kubectl", view.package_version(kube)},
            {"cri-tools", view.package_version(cri)},
            {"kubernetes-cni", view.package_version(cni)}};
  }
  static std::vector<std::string> kube_holds() { return {"kubeadm", "kubectl", "kubelet"}; }
  std::vector<std::string> initial_holds() const {
    if (family_of(GetParam()) == "debian") return kube_holds();
    return {"cri-tools", "kubeadm", "kubectl", "kubelet", "kubernetes-cni"};
  }
  // Nothing the operator owns changed on cp1: repository file, packages, holds.
  void expect_cp1_untouched() const {
    EXPECT_EQ(read_file(cp1_->repository_file()), original_repository_);
    EXPECT_EQ(cp1_->installed(), at(*cp1_, "1.30.5", "1.30.1", "1.4.0"));
    EXPECT_EQ(cp1_->held(), initial_holds());
  }

  std::unique_ptr<SandboxCluster> cluster_;
  std::unique_ptr<PackageRootView> cp1_, w1_;
  std::string original_repository_;
  static inline std::map<std::string, std::string> host_before_;
  static inline fs::file_time_type suite_start_;
};

TEST_P(RealPackageSandbox, MinorUpgradeSwitchesTheRepositoryAndHoldsAfterEachStep) {
  EXPECT_EQ(cp1_->installed(), at(*cp1_, "1.30.5", "1.30.1", "1.4.0"));
  const auto r = cluster_->apply("cp1", "v1.31.2");
  ASSERT_EQ(r.exit_code, 0) << all_output(r);

  // Only the minor changed, in every URL (rpm: baseurl and gpgkey).
  const std::string switched = replace_all(original_repository_, "/v1.30/", "/v1.31/");
  EXPECT_NE(switched, original_repository_);
  EXPECT_EQ(read_file(cp1_->repository_file()), switched);
  // Backed up before it changed.
  const auto backups = repository_backups("cp1");
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(read_file(backups[0]), original_repository_);

  // kubeadm pulled the new minor's cri-tools; kubelet is satisfied by the old CNI.
  EXPECT_EQ(cp1_->installed(), at(*cp1_, "1.31.2", "1.31.1", "1.4.0"));
  EXPECT_EQ(cp1_->held(), initial_holds());

  // kubeadm first, then kubeadm upgrade apply, then kubelet and kubectl; each
  // install immediately followed by its hold (apt) and the hold checked.
  const auto log = commands("cp1");
  const std::string pkg = cp1_->package_version("1.31.2");
  if (cp1_->family() == "debian") {
    const int kubeadm = find_line(log, "apt-get install -y --allow-downgrades -o Dpkg::Options::=--force-confold kubeadm=" + pkg);
    const int apply = find_line(log, "kubeadm upgrade apply v1.31.2");
    const int kubelet = find_line(log, "kubelet=" + pkg + " kubectl=" + pkg);
    ASSERT_GE(kubeadm, 0) << ::testing::PrintToString(log);
    EXPECT_LT(kubeadm, apply);
    EXPECT_LT(apply, kubelet);
    EXPECT_EQ(log.at(static_cast<size_t>(kubeadm) - 1), "apt-mark unhold kubeadm");
    EXPECT_EQ(log.at(static_cast<size_t>(kubeadm) + 1), "apt-mark hold kubeadm");
    EXPECT_EQ(log.at(static_cast<size_t>(kubeadm) + 2), "apt-mark showhold");
    EXPECT_EQ(log.at(static_cast<size_t>(kubelet) + 1), "apt-mark hold kubelet kubectl");
    EXPECT_EQ(log.at(static_cast<size_t>(kubelet) + 2), "apt-mark showhold");
    // The switch is followed by an index refresh that fails on any error.
    EXPECT_GE(find_line(log, "apt-get update --error-on=any"), 0);
  } else {
    const int kubeadm = find_line(log, "dnf install -y kubeadm-" + pkg + " --disableexcludes=kubernetes");
    const int apply = find_line(log, "kubeadm upgrade apply v1.31.2");
    const int kubelet = find_line(log, "dnf install -y kubelet-" + pkg + " kubectl-" + pkg);
    ASSERT_GE(kubeadm, 0) << ::testing::PrintToString(log);
    EXPECT_LT(kubeadm, apply);
    EXPECT_LT(apply, kubelet);
    EXPECT_GE(find_line(log, "dnf makecache"), 0);
  }
  // And the cluster agrees.
  const auto nodes = cluster_->nodes();
  for (const auto &item : nodes["items"]) {
    if (item["metadata"]["name"].as<std::string>() == "cp1") {
      EXPECT_EQ(item["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.31.2");
    }
  }
}

TEST_P(RealPackageSandbox, PatchUpgradeKeepsTheRepositoryFileAsItIs) {
  const auto r = cluster_->apply("cp1", "v1.30.7");
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  EXPECT_EQ(read_file(cp1_->repository_file()), original_repository_);
  EXPECT_EQ(repository_backups("cp1").size(), 0u);
  EXPECT_EQ(cp1_->installed(), at(*cp1_, "1.30.7", "1.30.1", "1.4.0"));
  EXPECT_EQ(cp1_->held(), initial_holds());
  EXPECT_NE(all_output(r).find("already on v1.30, no switch"), std::string::npos) << all_output(r);

  // Again: already at the version, the package phases run no install.
  const size_t before = commands("cp1").size();
  const auto again = cluster_->apply("cp1", "v1.30.7", {"--force"});
  ASSERT_EQ(again.exit_code, 0) << all_output(again);
  const std::vector<std::string> log = commands("cp1");
  for (size_t i = before; i < log.size(); ++i) {
    EXPECT_EQ(log[i].find("apt-get install"), std::string::npos) << log[i];
    EXPECT_EQ(log[i].find("dnf install"), std::string::npos) << log[i];
  }
  EXPECT_NE(all_output(again).find("already ships v1.30.7"), std::string::npos) << all_output(again);
}

TEST_P(RealPackageSandbox, MissingTargetVersionIsAClearErrorAndChangesNothing) {
  const auto r = cluster_->apply("cp1", "v1.31.9");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(all_output(r).find("offers no kubeadm package for v1.31.9"), std::string::npos) << all_output(r);
  expect_cp1_untouched();
}

TEST_P(RealPackageSandbox, MissingNextMinorRepositoryIsAClearErrorAndChangesNothing) {
  // pkgs.k8s.io has no v1.31 repository (yet).
  fs::remove_all(mirror_minor_dir("v1.31"));
  const auto r = cluster_->apply("cp1", "v1.31.2");
  EXPECT_NE(r.exit_code, 0);
  const std::string expected = format() == "deb" ? "does not have a Release file" : "Cannot download repomd.xml";
  EXPECT_NE(all_output(r).find(expected), std::string::npos) << all_output(r);
  // The failure names the package manager's own error line in its summary.
  EXPECT_TRUE(std::regex_search(all_output(r), std::regex("\\[upgrade/failed\\].*" + expected))) << all_output(r);
  expect_cp1_untouched();
}

TEST_P(RealPackageSandbox, RepositorySignedWithAnUntrustedKeyIsRefusedAndChangesNothing) {
  resign_with_untrusted_key(mirror_minor_dir("v1.31"), family_of(GetParam()));
  const auto r = cluster_->apply("cp1", "v1.31.2");
  EXPECT_NE(r.exit_code, 0);
  const std::string expected = format() == "deb" ? "NO_PUBKEY" : "GPG";
  EXPECT_NE(all_output(r).find(expected), std::string::npos) << all_output(r);
  expect_cp1_untouched();
}

TEST_P(RealPackageSandbox, FailedKubeletPhaseRollsBackPackagesAndRepositoryThenResumes) {
  ASSERT_EQ(cluster_->apply("cp1", "v1.31.2").exit_code, 0);
  const std::string w1_repository = read_file(w1_->repository_file());
  write_file(cluster_->root("w1") / "var/lib/kuphost-sandbox/faults.yaml",
             "- match: \"systemctl restart kubelet\"\n  times: 1\n  exit: 1\n"
             "  stderr: \"Job for kubelet.service failed because the control process exited with error code.\"\n");
  const auto failed = cluster_->apply("w1", "v1.31.2");
  ASSERT_NE(failed.exit_code, 0) << all_output(failed);
  EXPECT_NE(all_output(failed).find("Job for kubelet.service failed"), std::string::npos) << all_output(failed);

  // kubeadm upgrade node cannot be undone, so kubeadm stays; kubelet and
  // kubectl are the previous versions again, held, from the old repository.
  auto installed = w1_->installed();
  EXPECT_EQ(installed["kubelet"], w1_->package_version("1.30.5"));
  EXPECT_EQ(installed["kubectl"], w1_->package_version("1.30.5"));
  EXPECT_EQ(installed["kubeadm"], w1_->package_version("1.31.2"));
  EXPECT_EQ(read_file(w1_->repository_file()), w1_repository);
  EXPECT_EQ(w1_->held(), initial_holds());

  // Fixed (the fault fired once): running apply again finishes the upgrade.
  const auto resumed = cluster_->apply("w1", "v1.31.2");
  ASSERT_EQ(resumed.exit_code, 0) << all_output(resumed);
  EXPECT_EQ(w1_->installed(), at(*w1_, "1.31.2", "1.31.1", "1.4.0"));
  EXPECT_EQ(w1_->held(), initial_holds());
  EXPECT_EQ(read_file(w1_->repository_file()), replace_all(w1_repository, "/v1.30/", "/v1.31/"));
}

TEST_P(RealPackageSandbox, DryRunPrintsTheCommandsAndChangesNothing) {
  const auto r = cluster_->apply("cp1", "v1.31.2", {"--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  const std::string out = all_output(r);
  const std::string refresh = format() == "deb" ? "apt-get update --error-on=any" : "dnf makecache";
  EXPECT_NE(out.find(refresh), std::string::npos) << out;
  EXPECT_NE(out.find("kubeadm upgrade apply v1.31.2"), std::string::npos) << out;
  expect_cp1_untouched();
}

INSTANTIATE_TEST_SUITE_P(Distros, RealPackageSandbox, ::testing::Values("debian-12", "rhel-9"),
                         [](const auto &info) { return info.param == "rhel-9" ? std::string("rhel9") : std::string("debian12"); });

}  // namespace
}  // namespace kuphost::test
