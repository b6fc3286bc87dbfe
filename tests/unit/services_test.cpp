// The host services as a plugin sees them, through the C tables: exec in
// plan / dry-run / apply, fs with backups and root confinement, state in the
// journal, config values and defaults, facts.
#include <gtest/gtest.h>
#include <kuphost/kuphost.hpp>

#include "abi/plugin_host.h"
#include "harness.h"
#include "services/logging.h"

namespace kuphost {
namespace {
namespace fs = std::filesystem;

class ServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    logging::init(0, {});
    plugin_.id = "probe";
    plugin_.config_keys = {{"retention", KUP_CONFIG_INT, "3", ""}, {"archive", KUP_CONFIG_STRING, "", ""}};
    h_.set_config("probe:\n  archive: tar.zst\n");
    env_ = std::make_unique<RunEnv>(NodeRoot(h_.root), h_.fs, h_.runner, h_.clock, h_.facts, h_.config);
    run_.id = "run-1";
    env_->run = &run_;
    host_ = std::make_unique<PluginHost>(*env_, plugin_, nullptr);
  }
  kup::Host host() { return kup::Host(host_->host()); }

  test::Harness h_;
  LoadedPlugin plugin_;
  JournalRun run_;
  std::unique_ptr<RunEnv> env_;
  std::unique_ptr<PluginHost> host_;
};

TEST_F(ServicesTest, EveryV1ServiceIsOfferedAndUnknownIdsAreNull) {
  const kup_host *raw = host_->host();
  for (const char *id : {KUP_SERVICE_LOG_V1, KUP_SERVICE_EXEC_V1, KUP_SERVICE_CONFIG_V1, KUP_SERVICE_FACTS_V1,
                         KUP_SERVICE_STATE_V1, KUP_SERVICE_FS_V1, KUP_SERVICE_CLOCK_V1})
    EXPECT_NE(raw->get_service(raw, kup::to_kup(id)), nullptr) << id;
  EXPECT_EQ(raw->get_service(raw, kup::to_kup("kuphost.exec/2")), nullptr);
  EXPECT_EQ(raw->abi_major, 1);
  EXPECT_EQ(raw->struct_size, sizeof(kup_host));
}

TEST_F(ServicesTest, PlanRefusesCommandsThatChangeTheNodeAndRunsNothing) {
  env_->mode = RunMode::kPlan;
  try {
    host().run({"apt-get", "install", "-y", "kubeadm"});
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("plan must only read"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(h_.runner.calls.empty());
  kup::ExecOptions read_only;
  read_only.read_only = true;
  host().run({"apt-cache", "madison", "kubeadm"}, read_only);
  ASSERT_EQ(h_.runner.calls.size(), 1u);
}

TEST_F(ServicesTest, DryRunPrintsChangesInsteadOfRunningThem) {
  env_->mode = RunMode::kDryRun;
  const auto r = host().run({"kubeadm", "upgrade", "apply", "v1.31.2", "--yes"});
  EXPECT_TRUE(r.not_run);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(h_.runner.calls.empty());
  ASSERT_EQ(env_->would_change.size(), 1u);
  EXPECT_EQ(env_->would_change[0], "run: kubeadm upgrade apply v1.31.2 --yes");
  host().write_file("/etc/kuphost-test.txt", "x");
  EXPECT_FALSE(fs::exists(h_.root / "etc/kuphost-test.txt"));
  EXPECT_EQ(env_->would_change.back(), "write: /etc/kuphost-test.txt");
}

TEST_F(ServicesTest, ApplyRunsCommandsAndReportsTheLastErrorLine) {
  env_->mode = RunMode::kApply;
  h_.runner.reply("apt-get install", 100, "", "Reading package lists...\nE: Version '1.31.9-1.1' for 'kubeadm' was not found\n");
  try {
    host().run({"apt-get", "install", "-y", "kubeadm=1.31.9-1.1"});
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_COMMAND_FAILED);
    EXPECT_EQ(std::string(e.what()),
              "`apt-get install -y kubeadm=1.31.9-1.1` exited with 100: E: Version '1.31.9-1.1' for 'kubeadm' "
              "was not found");
  }
  kup::ExecOptions unchecked;
  unchecked.check = false;
  const auto r = host().run({"apt-get", "install", "-y", "kubeadm=1.31.9-1.1"}, unchecked);
  EXPECT_EQ(r.exit_code, 100);
  h_.runner.not_found("kubeadm");
  try {
    host().run({"kubeadm", "version"});
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_NOT_FOUND);
  }
}

TEST_F(ServicesTest, WritesBackUpTheOldFileFirstAndStayUnderTheRoot) {
  env_->mode = RunMode::kApply;
  test::write_file(h_.root / "etc/apt/sources.list.d/kubernetes.list", "deb v1.30\n");
  host().write_file("/etc/apt/sources.list.d/kubernetes.list", "deb v1.31\n");
  host().write_file("/etc/apt/sources.list.d/kubernetes.list", "deb v1.32\n");
  EXPECT_EQ(test::read_file(h_.root / "etc/apt/sources.list.d/kubernetes.list"), "deb v1.32\n");
  // The first version of this run is the one kept.
  EXPECT_EQ(test::read_file(h_.root / "var/lib/kuphost/backups/run-1/etc/apt/sources.list.d/kubernetes.list"),
            "deb v1.30\n");
  ASSERT_EQ(run_.file_backups.size(), 1u);
  EXPECT_EQ(run_.file_backups[0].node_path, "/etc/apt/sources.list.d/kubernetes.list");
  // ".." cannot climb out of the node root: "/.." is "/" as in a chroot.
  host().write_file("/../../escape", "x");
  EXPECT_TRUE(fs::exists(h_.root / "escape"));
  try {
    host().write_file("relative/path", "x");
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_INVALID_ARGUMENT);
  }
  EXPECT_FALSE(fs::exists(h_.dir.path().parent_path() / "escape"));
}

TEST_F(ServicesTest, FailedWritesReachThePluginAsIoErrorsAndTheFileStaysAsItWas) {
  test::FailingFileSystem failing;
  failing.fail_marker = "kubernetes.list";
  RunEnv env(NodeRoot(h_.root), failing, h_.runner, h_.clock, h_.facts, h_.config);
  env.mode = RunMode::kApply;
  env.run = &run_;
  PluginHost host(env, plugin_, nullptr);
  test::write_file(h_.root / "etc/apt/sources.list.d/kubernetes.list", "deb v1.30\n");
  try {
    kup::Host(host.host()).write_file("/etc/apt/sources.list.d/kubernetes.list", "deb v1.31\n");
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_IO);
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
  }
  EXPECT_EQ(test::read_file(h_.root / "etc/apt/sources.list.d/kubernetes.list"), "deb v1.30\n");
}

TEST_F(ServicesTest, StateThatCannotBeJournaledIsAnErrorNotASilentLoss) {
  test::FailingFileSystem failing;
  failing.fail_marker = "journal.yaml";
  Journal journal(failing, h_.root / "var/lib/kuphost");
  RunEnv env(NodeRoot(h_.root), failing, h_.runner, h_.clock, h_.facts, h_.config);
  env.mode = RunMode::kApply;
  env.run = &run_;
  env.journal = &journal;
  PluginHost host(env, plugin_, nullptr);
  try {
    kup::Host(host.host()).state_set("previous", "1.30.5");
    FAIL();
  } catch (const kup::Error &e) {
    EXPECT_EQ(e.code(), KUP_E_IO);
    EXPECT_NE(std::string(e.what()).find("cannot write the journal"), std::string::npos) << e.what();
  }
}

TEST_F(ServicesTest, StateIsInTheJournalBeforeSetReturns) {
  env_->mode = RunMode::kApply;
  Journal journal(h_.fs, h_.root / "var/lib/kuphost");
  env_->journal = &journal;
  const std::string binary("prev\0ious\n1.30.5-1.1", 20);
  host().state_set("kubeadm.previous", binary);
  const auto on_disk = journal.load();
  ASSERT_TRUE(on_disk);
  EXPECT_EQ(on_disk->plugin_state.at("probe").at("kubeadm.previous"), binary);
  EXPECT_EQ(host().state_get("kubeadm.previous").value(), binary);
  EXPECT_FALSE(host().state_get("absent").has_value());
}

TEST_F(ServicesTest, SharedStateIsSeenByEveryPluginAndPluginStateIsNot) {
  env_->mode = RunMode::kApply;
  LoadedPlugin other;
  other.id = "windows-node";
  PluginHost other_host(*env_, other, nullptr);
  kup::Host(other_host.host()).shared_state_set("node/cordoned-before", "false");
  kup::Host(other_host.host()).state_set("private", "x");
  EXPECT_EQ(host().shared_state_get("node/cordoned-before").value(), "false");
  EXPECT_FALSE(host().state_get("private").has_value());
  EXPECT_EQ(run_.shared_state.at("node/cordoned-before"), "false");
}

TEST_F(ServicesTest, ConfigValuesFallBackToDeclaredDefaults) {
  EXPECT_EQ(host().config("archive").value(), "tar.zst");
  EXPECT_EQ(host().config("retention").value(), "3");
  EXPECT_FALSE(host().config("undeclared").has_value());
  EXPECT_EQ(host().config_section(), "archive: tar.zst\n");
}

TEST_F(ServicesTest, FactsIncludeTheTargetDuringARun) {
  env_->target = "v1.31.2";
  EXPECT_EQ(host().fact("node.role").value(), "first-control-plane");
  EXPECT_EQ(host().fact("os.family").value(), "debian");
  EXPECT_EQ(host().fact("etcd.topology").value(), "stacked");
  EXPECT_EQ(host().fact("k8s.target.version").value(), "v1.31.2");
  EXPECT_FALSE(host().fact("no.such.fact").has_value());
}

TEST_F(ServicesTest, ClockSleepAdvancesTheInjectedClock) {
  const auto before = host().monotonic_ms();
  host().sleep_ms(1500);
  EXPECT_EQ(host().monotonic_ms() - before, 1500);
}

}  // namespace
}  // namespace kuphost
