// AptBackend through a real kup::Host over the fake command runner: the
// install error carries apt's "E: " line across the C table, and every
// apt-mark hold is read back with apt-mark showhold.
#include <gtest/gtest.h>

#include "apt/apt_backend.h"
#include "node_host.h"
#include "support/package_manager_provider.hpp"

namespace kuphost_plugins::apt {
namespace {

using kuphost::RunMode;
using kuphost::test::error_of;
using kuphost::test::NodeHost;
using Lines = std::vector<std::string>;

constexpr const char *kList = "/etc/apt/sources.list.d/kubernetes.list";

class AptBackendHostTest : public ::testing::Test {
 protected:
  explicit AptBackendHostTest(RunMode mode = RunMode::kApply)
      : node_(mode), repository_(node_.host(), kList, {}), backend_(node_.host(), repository_, kList) {
    // Nothing installed yet: every pin needs the install.
    node_.h.runner.reply("dpkg-query -W", 1, "", "dpkg-query: no packages found matching kubeadm\n");
  }

  // install() through the C table, as the kubeadm plugin calls it; returns
  // the message the caller receives (empty on success).
  std::string install_through_table(const std::vector<PackagePin> &pins) {
    PackageManagerTable table(backend_, "apt");
    std::vector<kup_package_pin> c_pins;
    for (const auto &p : pins) c_pins.push_back({kup::to_kup(p.name), kup::to_kup(p.version)});
    kup::ErrorCapture error;
    const kup_status st = table.table()->install(table.table(), c_pins.data(), c_pins.size(), error.get());
    return st == KUP_OK ? std::string() : error.message();
  }

  NodeHost node_;
  RepositoryFile repository_;
  AptBackend backend_;
};

TEST_F(AptBackendHostTest, UnknownVersionReportsAptsErrorLine) {
  node_.h.runner.reply("apt-get install", 100, "Reading package lists...\nBuilding dependency tree...\n",
                       "E: Version '1.31.9-1.1' for 'kubeadm' was not found\n");
  node_.h.runner.reply("apt-mark showhold", 0, "kubeadm\n");
  const std::string message = install_through_table({{"kubeadm", "1.31.9-1.1"}});
  EXPECT_EQ(message,
            "`apt-get install -y --allow-downgrades -o Dpkg::Options::=--force-confold kubeadm=1.31.9-1.1` exited "
            "with 100: E: Version '1.31.9-1.1' for 'kubeadm' was not found");
  // The hold comes back although the install failed.
  const Lines commands = node_.commands();
  ASSERT_GE(commands.size(), 2u);
  EXPECT_EQ(commands[commands.size() - 2], "apt-mark hold kubeadm");
  EXPECT_EQ(commands.back(), "apt-mark showhold");
}

TEST_F(AptBackendHostTest, TheFirstELineWinsOverTheLastLine) {
  // apt's own order: the reason first, the generic summary last (which the
  // host's message would have quoted).
  node_.h.runner.reply("apt-get install", 100,
                       "The following packages have unmet dependencies:\n"
                       " kubeadm : Depends: cri-tools (>= 1.31.0) but 1.30.1-1.1 is to be installed\n",
                       "E: Held packages were changed and -y was used without --allow-change-held-packages.\n"
                       "E: Unable to correct problems, you have held broken packages.\n");
  node_.h.runner.reply("apt-mark showhold", 0, "kubeadm\nkubelet\n");
  const std::string message = install_through_table({{"kubeadm", "1.31.2-1.1"}, {"kubelet", "1.31.2-1.1"}});
  EXPECT_NE(message.find("exited with 100: E: Held packages were changed and -y was used without "
                         "--allow-change-held-packages."),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("Unable to correct problems"), std::string::npos) << message;
}

TEST_F(AptBackendHostTest, InstallHoldsAndChecksEveryPackage) {
  node_.h.runner.reply("apt-mark showhold", 0, "containerd.io\nkubeadm\nkubelet\n");
  EXPECT_EQ(install_through_table({{"kubeadm", "1.31.2-1.1"}, {"kubelet", "1.31.2-1.1"}}), "");
  const Lines commands = node_.commands();
  const Lines tail(commands.end() - 4, commands.end());
  EXPECT_EQ(tail, (Lines{"apt-mark unhold kubeadm kubelet",
                         "apt-get install -y --allow-downgrades -o Dpkg::Options::=--force-confold "
                         "kubeadm=1.31.2-1.1 kubelet=1.31.2-1.1",
                         "apt-mark hold kubeadm kubelet", "apt-mark showhold"}));
}

TEST_F(AptBackendHostTest, AHoldThatDidNotStickFailsNamingThePackage) {
  node_.h.runner.reply("apt-mark showhold", 0, "kubeadm\n");
  const auto e = error_of([&] { backend_.hold({"kubeadm", "kubelet"}); });
  EXPECT_EQ(e.code(), KUP_E_COMMAND_FAILED);
  const std::string message = e.what();
  EXPECT_EQ(message.rfind("apt-mark hold did not hold kubelet; `apt-mark showhold` lists kubeadm.", 0), 0u)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  // And through install: the installed packages stay, the error says why.
  EXPECT_NE(install_through_table({{"kubelet", "1.31.2-1.1"}}).find("apt-mark hold did not hold kubelet"),
            std::string::npos);
}

TEST_F(AptBackendHostTest, EmptyShowholdIsNamed) {
  node_.h.runner.reply("apt-mark showhold", 0, "");
  EXPECT_EQ(std::string(error_of([&] { backend_.hold({"kubectl"}); }).what())
                .rfind("apt-mark hold did not hold kubectl; `apt-mark showhold` lists nothing.", 0),
            0u);
}

class AptBackendDryRunTest : public AptBackendHostTest {
 protected:
  AptBackendDryRunTest() : AptBackendHostTest(RunMode::kDryRun) {}
};

// Dry-run prints apt-mark hold instead of running it, so there is no hold
// to find and nothing to check.
TEST_F(AptBackendDryRunTest, HoldIsNotCheckedWhenNothingRan) {
  node_.h.runner.reply("apt-mark showhold", 0, "");
  EXPECT_EQ(install_through_table({{"kubeadm", "1.31.2-1.1"}}), "");
  for (const auto &c : node_.commands()) EXPECT_EQ(c.rfind("apt-mark showhold", 0), std::string::npos);
}

}  // namespace
}  // namespace kuphost_plugins::apt
