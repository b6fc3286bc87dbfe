// Which sources file the apt plugin edits when `sources-file` is not set:
// kubernetes.list, else kubernetes.sources (deb822), else a one-line error
// naming both. Checked on choose_sources_file() and on the real apt.so,
// loaded through the ABI and planning its repository phase.
#include <gtest/gtest.h>

#include "apt/apt_backend.h"
#include "apt/apt_sources.h"
#include "node_host.h"

namespace kuphost_plugins::apt {
namespace {

using kuphost::test::NodeHost;

constexpr const char *kLine = "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] "
                              "https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /\n";
constexpr const char *kDeb822 =
    "Types: deb\n"
    "URIs: https://pkgs.k8s.io/core:/stable:/v1.30/deb/\n"
    "Suites: /\n"
    "Signed-By: /etc/apt/keyrings/kubernetes-apt-keyring.gpg\n";

TEST(ChooseSourcesFile, OneLineFileFirst) {
  NodeHost node;
  node.write(kOneLineSourcesFile, kLine);
  node.write(kDeb822SourcesFile, kDeb822);
  const SourcesFile chosen = choose_sources_file(node.host(), std::nullopt);
  EXPECT_EQ(chosen.path, kOneLineSourcesFile);
  EXPECT_EQ(chosen.missing_message, "");
}

TEST(ChooseSourcesFile, Deb822WhenThereIsNoListFile) {
  NodeHost node;
  node.write(kDeb822SourcesFile, kDeb822);
  const SourcesFile chosen = choose_sources_file(node.host(), std::nullopt);
  EXPECT_EQ(chosen.path, kDeb822SourcesFile);
  EXPECT_EQ(chosen.missing_message, "");
  // An empty config value counts as unset.
  EXPECT_EQ(choose_sources_file(node.host(), std::string()).path, kDeb822SourcesFile);
}

TEST(ChooseSourcesFile, ConfiguredPathWinsEvenIfMissing) {
  NodeHost node;
  node.write(kOneLineSourcesFile, kLine);
  const SourcesFile chosen = choose_sources_file(node.host(), std::string("/etc/apt/sources.list.d/k8s.list"));
  EXPECT_EQ(chosen.path, "/etc/apt/sources.list.d/k8s.list");
  EXPECT_EQ(chosen.missing_message, "");
}

TEST(ChooseSourcesFile, NeitherFileIsOneLineNamingBoth) {
  NodeHost node;
  const SourcesFile chosen = choose_sources_file(node.host(), std::nullopt);
  EXPECT_EQ(chosen.missing_message,
            "neither /etc/apt/sources.list.d/kubernetes.list nor /etc/apt/sources.list.d/kubernetes.sources "
            "(deb822) exists; add the pkgs.k8s.io repository as the kubeadm install docs do, or set sources-file "
            "in the apt section of kuphost.yaml to the file that holds it");
}

TEST(PrivateSourcesName, KeepsTheKindAptParsesByExtension) {
  EXPECT_EQ(private_sources_name("/etc/apt/sources.list.d/kubernetes.sources"), "kubernetes.sources");
  EXPECT_EQ(private_sources_name("/etc/apt/sources.list.d/kubernetes.list"), "kubernetes.list");
  EXPECT_EQ(private_sources_name("/etc/apt/sources.list.d/k8s.list"), "kubernetes.list");
}

// The real apt.so, loaded by the host's catalog, initialized and asked to
// plan its repository phase on a Debian node.
class AptPluginTest : public ::testing::Test {
 protected:
  void SetUp() override { kuphost::logging::init(0, {}); }

  kuphost::PhaseCallResult plan_repository(const std::string &config = "apt: {}\n") {
    h_.set_config(config);
    h_.plugins.push_back(&h_.catalog.load_file(kuphost::test::plugin_dir() / "apt.so"));
    h_.compose(kuphost::RunMode::kPlan, "v1.31.2");
    for (const auto &pp : h_.composition.phases)
      if (pp.phase->qualified_id() == "apt/repository") return h_.runtime->call(pp, pp.phase->plan, 0, false);
    ADD_FAILURE() << "no phase apt/repository";
    return {};
  }
  void write(const std::string &path, const std::string &text) {
    kuphost::test::write_file(h_.root / path.substr(1), text);
  }

  kuphost::test::Harness h_;
};

TEST_F(AptPluginTest, PlansTheListFile) {
  write(kOneLineSourcesFile, kLine);
  const auto r = plan_repository();
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_FALSE(r.lines.empty());
  EXPECT_EQ(r.lines[0], "point /etc/apt/sources.list.d/kubernetes.list from v1.30 to v1.31");
}

TEST_F(AptPluginTest, PlansTheDeb822FileWhenThereIsNoList) {
  write(kDeb822SourcesFile, kDeb822);
  const auto r = plan_repository();
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_FALSE(r.lines.empty());
  EXPECT_EQ(r.lines[0], "point /etc/apt/sources.list.d/kubernetes.sources from v1.30 to v1.31");
}

TEST_F(AptPluginTest, NeitherFileFailsThePhaseNotTheInit) {
  const auto r = plan_repository();
  EXPECT_EQ(r.status, KUP_E_PREREQUISITE_MISSING);
  EXPECT_EQ(r.message.rfind("neither /etc/apt/sources.list.d/kubernetes.list nor "
                            "/etc/apt/sources.list.d/kubernetes.sources (deb822) exists; ",
                            0),
            0u)
      << r.message;
}

TEST_F(AptPluginTest, ConfiguredSourcesFileIsUsed) {
  write("/etc/apt/sources.list.d/k8s.sources", kDeb822);
  write(kOneLineSourcesFile, kLine);
  const auto r = plan_repository("apt:\n  sources-file: /etc/apt/sources.list.d/k8s.sources\n");
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_FALSE(r.lines.empty());
  EXPECT_EQ(r.lines[0], "point /etc/apt/sources.list.d/k8s.sources from v1.30 to v1.31");
}

}  // namespace
}  // namespace kuphost_plugins::apt
