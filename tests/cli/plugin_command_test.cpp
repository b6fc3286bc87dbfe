// Plugin-provided top-level commands (ABI 1.1) through the kuphost
// executable: the fixture plugin cmd-a declares `peek` (read-only) and
// `stamp` (changes the node); cmd-b declares the same two.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <functional>

#include "run/run_lock.h"
#include "support/failure.h"
#include "support/strings.h"
#include "test_support.h"

namespace kuphost {
namespace {
namespace fs = std::filesystem;
using test::ProcessResult;

class PluginCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The least a node needs for kuphost to gather its facts.
    test::write_file(root_ / "etc/os-release", "ID=ubuntu\nVERSION_ID=\"24.04\"\nID_LIKE=debian\n");
    fs::create_directories(plugins_);
    fs::copy_file(test::fixture_dir() / "cmd_a.so", plugins_ / "cmd_a.so");
  }

  // Runs kuphost on the temporary node with the fixture plugin installed.
  ProcessResult kuphost(std::vector<std::string> args) const {
    args.insert(args.begin(), {test::kuphost_binary().string(), "--root", root_.string(), "--plugin-dir",
                               plugins_.string()});
    return test::run_process(args, {"KUPHOST_PLUGIN_PATH="});
  }
  static void expect_one_line_error(const ProcessResult &r, int exit_code, const std::string &part) {
    EXPECT_EQ(r.exit_code, exit_code) << r.err << r.out;
    EXPECT_EQ(r.err.rfind("kuphost: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line expected:\n" << r.err;
    EXPECT_NE(r.err.find(part), std::string::npos) << r.err;
  }

  test::TempDir dir_;
  fs::path root_ = dir_ / "root";
  fs::path plugins_ = dir_ / "plugins";
};

TEST_F(PluginCommandTest, PassesTheWordsInOrderAndPrintsThePluginsReport) {
  const auto r = kuphost({"peek", "a", "b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(starts_with(r.out, "hello from cmd-a\ncommand: peek\narg: a\narg: b\noutput: 0\nflags:\nnode: ")) << r.out;
  EXPECT_EQ(r.out.find("node: ?"), std::string::npos) << "the facts service reaches the command";
}

TEST_F(PluginCommandTest, OptionsWorkInAnyPositionAndReachTheCall) {
  const auto r = kuphost({"peek", "a", "-o", "json", "--force", "b", "-y", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("arg: a\narg: b\noutput: 1\nflags: dry-run force confirmed\n"), std::string::npos) << r.out;
  EXPECT_NE(kuphost({"-o", "yaml", "peek"}).out.find("output: 2\n"), std::string::npos);
}

TEST_F(PluginCommandTest, ReadOnlyCommandCannotWriteTheNode) {
  const auto before = test::snapshot_tree(root_);
  const auto r = kuphost({"peek", "write", "/etc/peeked.conf"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // The host's warning when it refuses, then the plugin's error it caused.
  const auto lines = split(r.err, '\n');
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(starts_with(lines.back(), "kuphost: error: plugin cmd-a tried to write /etc/peeked.conf during "
                                        "read-only command 'peek', which must only read"))
      << r.err;
  EXPECT_EQ(test::diff_trees(before, test::snapshot_tree(root_)), "") << "no lock, no record, no file";
}

TEST_F(PluginCommandTest, ChangingCommandBacksUpTheFileBeforeReplacingIt) {
  test::write_file(root_ / "etc/app.conf", "old\n");
  const auto r = kuphost({"stamp", "/etc/app.conf", "new", "-y"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote /etc/app.conf\n");
  EXPECT_EQ(test::read_file(root_ / "etc/app.conf"), "new\n");
  EXPECT_FALSE(fs::exists(root_ / "var/lib/kuphost/journal.yaml")) << "an upgrade's journal is not a command's";
  std::vector<fs::path> records;
  for (const auto &e : fs::directory_iterator(root_ / "var/lib/kuphost/runs")) records.push_back(e.path());
  ASSERT_EQ(records.size(), 1u);
  const YAML::Node run = YAML::LoadFile(records[0].string());
  const std::string id = run["id"].as<std::string>();
  EXPECT_TRUE(id.size() > 6 && id.substr(id.size() - 6) == "-stamp") << id;
  EXPECT_EQ(records[0].filename().string(), id + ".yaml");
  EXPECT_EQ(run["command"].as<std::string>(), "stamp /etc/app.conf new");
  EXPECT_EQ(run["state"].as<std::string>(), "completed");
  EXPECT_EQ(run["plugins"].as<std::vector<std::string>>(), std::vector<std::string>{"cmd-a"});
  ASSERT_EQ(run["file-backups"].size(), 1u);
  EXPECT_EQ(run["file-backups"][0]["path"].as<std::string>(), "/etc/app.conf");
  const std::string backup = run["file-backups"][0]["backup"].as<std::string>();
  EXPECT_EQ(backup, "/var/lib/kuphost/backups/" + id + "/etc/app.conf");
  EXPECT_EQ(test::read_file(root_ / backup.substr(1)), "old\n");
}

TEST_F(PluginCommandTest, ChangingCommandDryRunChangesNothing) {
  test::write_file(root_ / "etc/app.conf", "old\n");
  const auto before = test::snapshot_tree(root_);
  const auto r = kuphost({"--dry-run", "stamp", "/etc/app.conf", "new"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "would write /etc/app.conf\n");
  EXPECT_NE(r.err.find("[dryrun] Would write /etc/app.conf"), std::string::npos) << r.err;
  EXPECT_EQ(test::diff_trees(before, test::snapshot_tree(root_)), "");
}

TEST_F(PluginCommandTest, ChangingCommandWaitsForNoOtherRun) {
  const RunLock apply_running(root_ / "var/lib/kuphost");
  const auto r = kuphost({"stamp", "/etc/app.conf", "new", "-y"});
  expect_one_line_error(r, 2, "another kuphost is running on this node");
  EXPECT_FALSE(fs::exists(root_ / "etc/app.conf"));
}

TEST_F(PluginCommandTest, PluginErrorsBecomeOneLineWithTheMatchingExitCode) {
  expect_one_line_error(kuphost({"stamp", "/etc/app.conf"}), 2, "usage: kuphost stamp PATH TEXT");
  expect_one_line_error(kuphost({"stamp", "/etc/app.conf", "new"}), 2, "pass -y, or --dry-run");
  expect_one_line_error(kuphost({"peek", "fail"}), 1, "kuphost: error: peek failed as asked");
  EXPECT_FALSE(fs::exists(root_ / "etc/app.conf"));
}

TEST_F(PluginCommandTest, UnknownCommandSaysPluginCommandsWereLookedUp) {
  const auto before = test::snapshot_tree(root_);
  expect_one_line_error(kuphost({"frobnicate", "x"}), 2,
                        "unknown command 'frobnicate': it is not built in and no available plugin declares it "
                        "(plugin commands: backup, certs, peek, stamp)");
  EXPECT_EQ(test::diff_trees(before, test::snapshot_tree(root_)), "");
}

TEST_F(PluginCommandTest, TwoPluginsWithTheSameCommandAreNamedUnlessOneIsChosen) {
  fs::copy_file(test::fixture_dir() / "cmd_b.so", plugins_ / "cmd_b.so");
  expect_one_line_error(kuphost({"peek"}), 3,
                        "command 'peek' is declared by plugins cmd-a and cmd-b; choose one with --plugins cmd-a "
                        "or --plugins cmd-b");
  const auto chosen = kuphost({"--plugins", "cmd-b", "peek"});
  ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_TRUE(starts_with(chosen.out, "hello from cmd-b\n")) << chosen.out;
}

// On a sandbox control plane the host knows where the node's own
// kube-apiserver answers (its loopback apiserverPort) and says so; a worker
// has none.
TEST_F(PluginCommandTest, SandboxControlPlaneFactsNameItsOwnApiServer) {
  const fs::path sandbox = dir_ / "sandbox";
  const auto kuphost_on = [](std::vector<std::string> args) {
    args.insert(args.begin(), test::kuphost_binary().string());
    return test::run_process(args, {"KUPHOST_PLUGIN_PATH="});
  };
  const auto created = kuphost_on({"sandbox", "create", sandbox.string(), "--nodes",
                                   "cp1:first-control-plane,w1:worker", "--etcd", "external", "--key-type",
                                   "ecdsa-p256"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  // kuphost --sandbox may have started the sandbox's API server.
  struct Down {
    std::function<void()> stop;
    ~Down() { stop(); }
  } down{[&] { kuphost_on({"sandbox", "down", sandbox.string()}); }};
  const YAML::Node nodes = YAML::LoadFile((sandbox / "sandbox.yaml").string())["nodes"];
  ASSERT_EQ(nodes[0]["name"].as<std::string>(), "cp1");
  const int port = nodes[0]["apiserverPort"].as<int>(0);
  ASSERT_GT(port, 0);
  const auto peek_on = [&](const std::string &node) {
    return kuphost_on({"--sandbox", sandbox.string(), "--node", node, "--plugin-dir", plugins_.string(), "peek"});
  };
  const auto cp = peek_on("cp1");
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  EXPECT_NE(cp.out.find("node: cp1\napiserver-endpoint: 127.0.0.1:" + std::to_string(port) + "\n"), std::string::npos)
      << cp.out;
  const auto worker = peek_on("w1");
  ASSERT_EQ(worker.exit_code, 0) << worker.err;
  EXPECT_EQ(worker.out.find("apiserver-endpoint"), std::string::npos) << worker.out;
}

TEST_F(PluginCommandTest, BuiltInCommandsWin) {
  const auto r = kuphost({"version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(plugin ABI 1.1)"), std::string::npos) << r.out;
}

TEST_F(PluginCommandTest, HelpAndPluginsListThePluginCommands) {
  const auto help = kuphost({"--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("Plugin commands"), std::string::npos) << help.out;
  // Each command on one line, as the built-in ones: usage, summary, owner.
  auto line_of = [&](const std::string &start) {
    const auto at = help.out.find("\n  " + start);
    return at == std::string::npos ? std::string() : help.out.substr(at + 1, help.out.find('\n', at + 1) - at - 1);
  };
  const std::string peek = line_of("peek [WORD...] ");
  EXPECT_NE(peek.find(" Prints what the command call carried. [plugin cmd-a, read-only]"), std::string::npos) << help.out;
  EXPECT_EQ(peek.find("Prints"), help.out.substr(help.out.find("\n  plan [VERSION]") + 1).find("show")) << "aligned";
  EXPECT_NE(line_of("stamp PATH TEXT ").find(" Writes TEXT to the node file PATH. [plugin cmd-a]"), std::string::npos)
      << help.out;

  const YAML::Node list = YAML::Load(kuphost({"plugins", "-o", "json"}).out);
  bool found = false;
  for (const auto &p : list["plugins"]) {
    if (p["id"].as<std::string>() != "cmd-a") continue;
    found = true;
    EXPECT_EQ(p["abi"].as<std::string>(), "1.1");
    ASSERT_EQ(p["commands"].size(), 2u);
    EXPECT_EQ(p["commands"][0]["usage"].as<std::string>(), "peek [WORD...]");
    EXPECT_TRUE(p["commands"][0]["readOnly"].as<bool>());
    EXPECT_FALSE(p["commands"][1]["readOnly"].as<bool>());
  }
  EXPECT_TRUE(found);

  const auto inspect = kuphost({"plugins", "inspect", "cmd-a"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("commands:  \n  peek [WORD...] "), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("id:        cmd-a\n"), std::string::npos) << inspect.out;
}

}  // namespace
}  // namespace kuphost
