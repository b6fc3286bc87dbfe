// AptBackend against the real apt on an alternate root (test-recipes.md
// §1b), through the host's real command runner: a failed install reports
// apt's own "E: " line, a successful one ends held and checked; and apt
// reads a private deb822 copy only when it is named *.sources, which is why
// available_versions_in_minor keeps the node file's extension.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "apt/apt_backend.h"
#include "apt/apt_sources.h"
#include "apt_root.h"
#include "deb_repo.h"
#include "node_host.h"
#include "services/command_runner.h"

namespace kuphost_plugins::apt {
namespace {

namespace fs = std::filesystem;
using kuphost::test::error_of;
using kuphost::test::ProcessResult;
using kuphost::test::TempDir;
using kuphost::test::deb::AptRoot;
using kuphost::test::deb::DebRepo;

std::string describe(const ProcessResult &r) {
  return "rc=" + std::to_string(r.exit_code) + "\n--- stdout\n" + r.out + "--- stderr\n" + r.err;
}

class RealAptBackendTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_ = std::make_unique<TempDir>();
    fs::create_directories(shared_->path() / "repo");
    repo_ = std::make_unique<DebRepo>(shared_->path() / "repo");
  }
  static void TearDownTestSuite() {
    repo_.reset();
    shared_.reset();
  }
  void SetUp() override {
    alt_ = std::make_unique<AptRoot>(work_.path() / "alt");
    alt_->install_keyring(repo_->keyring());
    // Every command the backend runs gets the alternate root's APT_CONFIG.
    runner_ = std::make_unique<kuphost::RealCommandRunner>(std::vector<fs::path>{}, alt_->env());
    node_ = std::make_unique<kuphost::test::NodeHost>(kuphost::RunMode::kApply, runner_.get());
  }
  std::string deb822(const std::string &minor) const {
    return "Types: deb\nURIs: file:" + repo_->root().string() + "/core:/stable:/" + minor +
           "/deb/\nSuites: /\nSigned-By: " + alt_->keyring().string() + "\n";
  }

  static inline std::unique_ptr<TempDir> shared_;
  static inline std::unique_ptr<DebRepo> repo_;
  TempDir work_;
  std::unique_ptr<AptRoot> alt_;
  std::unique_ptr<kuphost::RealCommandRunner> runner_;
  std::unique_ptr<kuphost::test::NodeHost> node_;
};

TEST_F(RealAptBackendTest, UnknownVersionFailsWithAptsErrorLine) {
  alt_->write_sources(repo_->root(), "v1.31");
  const ProcessResult u = alt_->apt_get({"update", "-q", "--error-on=any"});
  ASSERT_EQ(u.exit_code, 0) << describe(u);
  RepositoryFile repository(node_->host(), kOneLineSourcesFile, {});
  AptBackend backend(node_->host(), repository, kOneLineSourcesFile);
  const auto e = error_of([&] { backend.install({{"kubeadm", "1.31.9-1.1"}}); });
  EXPECT_EQ(e.code(), KUP_E_COMMAND_FAILED);
  EXPECT_EQ(std::string(e.what()),
            "`apt-get install -y --allow-downgrades -o Dpkg::Options::=--force-confold kubeadm=1.31.9-1.1` exited "
            "with 100: E: Version '1.31.9-1.1' for 'kubeadm' was not found");
}

TEST_F(RealAptBackendTest, InstallEndsHeldAndChecked) {
  alt_->write_sources(repo_->root(), "v1.31");
  const ProcessResult u = alt_->apt_get({"update", "-q", "--error-on=any"});
  ASSERT_EQ(u.exit_code, 0) << describe(u);
  RepositoryFile repository(node_->host(), kOneLineSourcesFile, {});
  AptBackend backend(node_->host(), repository, kOneLineSourcesFile);
  backend.install({{"kubeadm", "1.31.2-1.1"}, {"kubectl", "1.31.2-1.1"}});
  const auto installed = alt_->installed();
  EXPECT_NE(std::find(installed.begin(), installed.end(), "kubeadm 1.31.2-1.1 hi"), installed.end());
  EXPECT_NE(std::find(installed.begin(), installed.end(), "kubectl 1.31.2-1.1 hi"), installed.end());
  EXPECT_EQ(parse_showhold(alt_->apt_mark({"showhold"}).out), (std::vector<std::string>{"kubeadm", "kubectl"}));
}

// The same deb822 stanza as a private main sources list: read as deb822
// under a .sources name, misread as one-line entries under a .list name.
TEST_F(RealAptBackendTest, PrivateDeb822CopyNeedsTheSourcesExtension) {
  const fs::path dir = work_.path() / "private";
  fs::create_directories(dir / "lists/partial");
  for (const std::string name : {"kubernetes.sources", "kubernetes.list"}) {
    kuphost::test::write_file(dir / name, deb822("v1.31"));
    std::vector<std::string> args = private_index_options((dir / name).string(), (dir / "lists").string());
    std::vector<std::string> update = args, madison = args;
    update.insert(update.end(), {"update", "-q", "--error-on=any"});
    madison.insert(madison.end(), {"madison", "kubeadm"});
    const ProcessResult u = alt_->apt_get(update);
    if (name == private_sources_name("/etc/apt/sources.list.d/kubernetes.sources")) {
      ASSERT_EQ(u.exit_code, 0) << describe(u);
      EXPECT_EQ(parse_madison(alt_->apt_cache(madison).out, "kubeadm"),
                (std::vector<std::string>{"1.31.2-1.1", "1.31.0-1.1"}));
    } else {
      EXPECT_NE(u.exit_code, 0) << describe(u);
    }
  }
}

}  // namespace
}  // namespace kuphost_plugins::apt
