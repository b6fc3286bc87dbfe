// The kuphost executable end to end on sandbox nodes: plugins listing and
// inspection, plan on control planes and workers (text and JSON carry the
// same), dry-run, and bad input that must fail with one clear line, exit 2
// and no file changed.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "support/strings.h"
#include "test_support.h"

namespace kuphost {
namespace {
namespace fs = std::filesystem;
using test::ProcessResult;

const char *kPlugins[] = {"kubeadm", "apt", "yum", "windows-node", "etcd-backup", "cni-calico", "certs"};

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    for (const auto &[name, distro, nodes] :
         {std::tuple{"ubuntu", "ubuntu-24.04", "cp1:first-control-plane,w1:worker"},
          std::tuple{"rhel", "rhel-9", "cp1:first-control-plane,w1:worker"}}) {
      const auto r = kuphost({"sandbox", "create", (dir_->path() / name).string(), "--kubernetes-version", "v1.30.5",
                              "--distro", distro, "--nodes", nodes, "--etcd", "stacked", "--key-type", "ecdsa-p256"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  // `kuphost --sandbox` started each sandbox's API server, which runs a real
  // etcd member writing under the node: stop both before deleting the files.
  static void TearDownTestSuite() {
    for (const char *name : {"ubuntu", "rhel"}) kuphost({"sandbox", "down", (dir_->path() / name).string()});
    delete dir_;
  }

  static ProcessResult kuphost(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.insert(args.begin(), test::kuphost_binary().string());
    env.push_back("KUPHOST_PLUGIN_PATH=");
    return test::run_process(args, env);
  }
  static std::vector<std::string> on(const std::string &sandbox, const std::string &node,
                                     std::vector<std::string> args) {
    std::vector<std::string> all{"--sandbox", (dir_->path() / sandbox).string(), "--node", node};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  static fs::path node_root(const std::string &sandbox, const std::string &node) {
    return dir_->path() / sandbox / "nodes" / node / "root";
  }
  // Runs a command that must fail on bad input: exit 2, one line, nothing changed.
  static void expect_bad_input(const std::vector<std::string> &args, const std::string &message_part) {
    const auto before = sandboxes_snapshot();
    const auto r = kuphost(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line expected:\n" << r.err;
    EXPECT_EQ(r.err.rfind("kuphost: error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(message_part), std::string::npos) << r.err;
    EXPECT_EQ(test::diff_trees(before, sandboxes_snapshot()), "");
  }

  // A running etcd member owns and writes its data dir and log: not ours to compare.
  static bool etcd_owned(const std::string &path) {
    return path.find("var/lib/etcd") != std::string::npos || path.find("cluster/etcd-") != std::string::npos;
  }
  static test::TreeSnapshot sandboxes_snapshot() {
    auto s = test::snapshot_tree(dir_->path());
    std::erase_if(s, [](const auto &kv) { return etcd_owned(kv.first); });
    return s;
  }

  // A node's files, less the simulator's command log (a real node logs to
  // its journal too) and its package-manager lock file (dnf's metadata
  // lock): what "nothing changed" means for commands that ran on it.
  static test::TreeSnapshot node_snapshot(const fs::path &root) {
    auto s = test::snapshot_tree(root);
    std::erase_if(s, [](const auto &kv) {
      return starts_with(kv.first, "var/log") || kv.first == "var/lib/kuphost-sandbox/package-manager.lock" ||
             etcd_owned(kv.first);
    });
    return s;
  }

  static test::TempDir *dir_;
};
test::TempDir *CliTest::dir_ = nullptr;

TEST_F(CliTest, PluginsListsTheSevenWithVersionAbiAndPath) {
  const auto r = kuphost({"plugins"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char *id : kPlugins) EXPECT_NE(r.out.find(std::string("\n") + id + " "), std::string::npos) << id;
  const YAML::Node doc = YAML::Load(kuphost({"plugins", "-o", "json"}).out);
  ASSERT_EQ(doc["plugins"].size(), 7u);
  for (const auto &p : doc["plugins"]) {
    EXPECT_EQ(p["version"].as<std::string>(), "0.1.0");
    EXPECT_EQ(p["abi"].as<std::string>(), "1.1");
    EXPECT_TRUE(fs::exists(p["path"].as<std::string>()));
  }
  EXPECT_EQ(doc["plugins"][0]["id"].as<std::string>(), "apt");  // sorted by file name
}

TEST_F(CliTest, EachPluginExportsOnlyItsEntry) {
  for (const char *id : kPlugins) {
    const auto r = test::run_process({"nm", "-D", "--defined-only", (test::plugin_dir() / (std::string(id) + ".so")).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> symbols;
    for (const auto &line : split(r.out, '\n')) symbols.push_back(line.substr(line.rfind(' ') + 1));
    EXPECT_EQ(symbols, std::vector<std::string>{"kuphost_plugin_v1"}) << id << ":\n" << r.out;
  }
}

TEST_F(CliTest, InspectReadsTheFileWithoutRunningPluginCode) {
  test::TempDir scratch;
  const auto marker = scratch / "constructor-ran";
  const auto r = kuphost({"plugins", "inspect", (test::fixture_dir() / "side_effect.so").string(), "-o", "json"},
                         {"KUPHOST_TEST_MARKER=" + marker.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const YAML::Node doc = YAML::Load(r.out);
  EXPECT_EQ(doc["id"].as<std::string>(), "side-effect");
  EXPECT_EQ(doc["version"].as<std::string>(), "1.2.3");
  EXPECT_EQ(doc["abi"].as<std::string>(), "1.1");
  EXPECT_EQ(doc["exports"].as<std::vector<std::string>>(), std::vector<std::string>{"kuphost_plugin_v1"});
  EXPECT_FALSE(fs::exists(marker)) << "inspect ran the plugin's code";
  const auto missing = kuphost({"plugins", "inspect", (test::fixture_dir() / "missing_entry.so").string()});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.out.find("entry:     missing"), std::string::npos) << missing.out;
}

std::vector<std::string> phase_ids_from_json(const std::string &json) {
  std::vector<std::string> ids;
  for (const auto &p : YAML::Load(json)["phases"]) ids.push_back(p["id"].as<std::string>());
  return ids;
}

std::vector<std::string> phase_ids_from_text(const std::string &text) {
  std::vector<std::string> ids;
  bool in_table = false;
  for (const auto &raw : split(text, '\n', false)) {
    const std::string line(trim(raw));
    if (starts_with(line, "# ")) in_table = true;
    else if (in_table && line.empty()) break;
    else if (in_table && !starts_with(line, "- ") && !starts_with(line, "!")) ids.push_back(split(line, ' ')[2]);
  }
  return ids;
}

TEST_F(CliTest, PlanOnControlPlaneAndWorkerDiffersAsTheTopologyRequires) {
  const auto cp = kuphost(on("ubuntu", "cp1", {"plan", "v1.31.2"}));
  ASSERT_EQ(cp.exit_code, 0) << cp.err << cp.out;
  const auto worker = kuphost(on("ubuntu", "w1", {"plan", "v1.31.2"}));
  ASSERT_EQ(worker.exit_code, 0) << worker.err << worker.out;
  const auto cp_ids = phase_ids_from_text(cp.out), worker_ids = phase_ids_from_text(worker.out);
  auto has = [](const std::vector<std::string> &v, const char *id) { return std::find(v.begin(), v.end(), id) != v.end(); };
  EXPECT_TRUE(has(cp_ids, "kubeadm/upgrade-apply")) << cp.out;
  EXPECT_TRUE(has(cp_ids, "etcd-backup/backup")) << cp.out;
  EXPECT_TRUE(has(cp_ids, "apt/repository")) << cp.out;
  EXPECT_FALSE(has(worker_ids, "kubeadm/upgrade-apply")) << worker.out;
  EXPECT_TRUE(has(worker_ids, "kubeadm/upgrade-node")) << worker.out;
  EXPECT_FALSE(has(worker_ids, "etcd-backup/backup")) << worker.out;
  EXPECT_NE(cp.out.find("role: first-control-plane (from sandbox.yaml)"), std::string::npos) << cp.out;
  EXPECT_NE(cp.out.find("target: v1.31.2"), std::string::npos);
  // -o json carries the same phases, in the same order, with reasons and steps.
  const auto json = kuphost(on("ubuntu", "cp1", {"plan", "v1.31.2", "-o", "json"}));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(phase_ids_from_json(json.out), cp_ids);
  const YAML::Node doc = YAML::Load(json.out);
  EXPECT_EQ(doc["node"]["role"].as<std::string>(), "first-control-plane");
  EXPECT_EQ(doc["target"].as<std::string>(), "v1.31.2");
  for (const auto &p : doc["phases"]) EXPECT_FALSE(p["why"].as<std::string>().empty());
  const auto yaml = kuphost(on("ubuntu", "cp1", {"plan", "v1.31.2", "-o", "yaml"}));
  EXPECT_EQ(phase_ids_from_json(yaml.out), cp_ids);
}

TEST_F(CliTest, PlanOnRhelUsesYumNotApt) {
  const auto r = kuphost(on("rhel", "cp1", {"plan", "v1.31.2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto ids = phase_ids_from_text(r.out);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "yum/repository"), ids.end()) << r.out;
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "apt/repository"), ids.end()) << r.out;
  EXPECT_NE(r.out.find("apt/repository"), std::string::npos) << "left out with a reason";
}

TEST_F(CliTest, DryRunPrintsChangesAndChangesNothing) {
  const auto root = node_root("ubuntu", "cp1");
  auto snapshot = [&] {
    auto s = test::snapshot_tree(root);
    // The simulator logs every call under var/log, as a real node logs to its journal;
    // a running etcd member owns its data dir.
    std::erase_if(s, [](const auto &kv) { return starts_with(kv.first, "var/log") || etcd_owned(kv.first); });
    return s;
  };
  const auto before = snapshot();
  const auto r = kuphost(on("ubuntu", "cp1", {"apply", "--dry-run", "v1.31.2"}));
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.err.find("[dryrun] Would run: kubeadm upgrade apply v1.31.2"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("changes would be made"), std::string::npos) << r.out;
  EXPECT_EQ(test::diff_trees(before, snapshot()), "");
}

TEST_F(CliTest, BadInputFailsWithOneLineAndChangesNothing) {
  const auto config = node_root("ubuntu", "cp1") / "etc/kuphost/kuphost.yaml";
  expect_bad_input(on("ubuntu", "cp1", {"apply", "-y", "v1.31"}), "invalid version 'v1.31'");
  expect_bad_input(on("ubuntu", "cp1", {"plan", "latest-stable"}), "expected vMAJOR.MINOR.PATCH");
  expect_bad_input(on("ubuntu", "cp1", {"--plugins", "apt,nosuch", "apply", "-y", "v1.31.2"}), "unknown plugin 'nosuch'");
  expect_bad_input(on("rhel", "cp1", {"--plugins", "apt", "apply", "-y", "v1.31.2"}),
                   "plugin apt does not apply to this node: it is for debian nodes");
  expect_bad_input(on("ubuntu", "nope", {"plan"}), "has no node 'nope'");
  expect_bad_input(on("ubuntu", "cp1", {"apply", "v1.31.2"}), "without confirmation: pass -y");
  expect_bad_input(on("ubuntu", "w1", {"plan", "-o", "powershell", "v1.31.2"}),
                   "-o powershell prints the script to run on a Windows node; node w1 is debian family");
  expect_bad_input(on("ubuntu", "w1", {"apply", "-o", "powershell", "-y", "v1.31.2"}),
                   "-o powershell is for `kuphost plan` on a Windows node");
  expect_bad_input(on("ubuntu", "w1", {"--binaries-from", "/nonexistent/kuphost-binaries", "plan"}),
                   "--binaries-from /nonexistent/kuphost-binaries is not a directory on this machine");
  // Outside a sandbox --node names a Windows worker, read from the API.
  expect_bad_input({"--root", node_root("ubuntu", "w1").string(), "--node", "win9", "--kubeconfig",
                    "/etc/kubernetes/nope.conf", "plan"},
                   "--kubeconfig /etc/kubernetes/nope.conf is not a file on node win9");
  expect_bad_input({"--root", node_root("ubuntu", "w1").string(), "--node", "win9", "plan"},
                   "--node win9 drives a Windows worker from this machine and needs admin credentials: "
                   "/etc/kubernetes/admin.conf is not a file; pass --kubeconfig");

  test::write_file(config, "plugins: [apt\netcd-backup:\n  retention: 3\n");
  expect_bad_input(on("ubuntu", "cp1", {"apply", "-y", "v1.31.2"}), "malformed YAML");
  test::write_file(config, "etcd:\n  retention: 3\n  retension: 4\n");
  expect_bad_input(on("ubuntu", "cp1", {"apply", "-y", "v1.31.2"}),
                   "unknown key 'etcd.retension' in " + config.string() + ":3");
  test::write_file(config, "colour: blue\n");
  expect_bad_input(on("ubuntu", "cp1", {"plan"}), "unknown key 'colour' in " + config.string() + ":1");
  fs::remove(config);
}

TEST_F(CliTest, LogFileKeepsTimestampedDebugLinesAndVerbosityRaisesStderr) {
  test::TempDir scratch;
  const auto log = scratch / "kuphost.log";
  const auto quiet = kuphost(on("ubuntu", "w1", {"plan", "--log-file", log.string()}));
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("[plugins] loaded kubeadm"), std::string::npos) << "debug lines stay off stderr at -v 0";
  const std::string text = test::read_file(log);
  const auto at = text.find("[plugins] loaded kubeadm 0.1.0 (ABI 1.1");
  ASSERT_NE(at, std::string::npos) << text;
  const auto line_start = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
  EXPECT_EQ(text[line_start + 4], '-') << "timestamp first: " << text.substr(line_start, 40);
  const auto verbose = kuphost(on("ubuntu", "w1", {"plan", "-v", "1"}));
  EXPECT_NE(verbose.err.find("[plugins] loaded kubeadm"), std::string::npos) << verbose.err;
}

TEST_F(CliTest, HelpDocumentsExitCodes) {
  const auto r = kuphost({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char *line : {"Exit codes:", "  2    invalid input", "  4    a phase failed and rollback did not finish"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line;
}

// `plan 1.31`, `plan latest-patch` and `plan next-minor` resolve to one
// exact version from what the node's package manager offers (the sandbox's
// pkgs.k8s.io has v1.30.0-7, v1.31.0-4 and v1.32.0-2 for a v1.30.5 cluster),
// say so in kubeadm's style, and plan with it; the node's files, its
// repository and package index included, stay exactly as they were.
TEST_F(CliTest, PlanResolvesMinorLatestPatchAndNextMinorReadOnly) {
  for (const auto &[sandbox, manager] : {std::pair{"ubuntu", "apt"}, std::pair{"rhel", "dnf"}}) {
    for (const char *node : {"cp1", "w1"}) {
      const auto root = node_root(sandbox, node);
      for (const auto &[spec, version, why] :
           {std::tuple{"1.31", "v1.31.4", "newest patch of v1.31"},
            std::tuple{"latest-patch", "v1.30.7", "newest patch of the current minor, v1.30"},
            std::tuple{"next-minor", "v1.31.4", "newest patch of the next minor, v1.31"}}) {
        const std::string where = std::string(sandbox) + "/" + node + " plan " + spec;
        const auto before = node_snapshot(root);
        const auto r = kuphost(on(sandbox, node, {"plan", spec}));
        // A worker's plan for a new minor fails preflight while the control
        // plane is older (kubeadm's order); the target is resolved all the same.
        const bool minor_on_worker = std::string(node) == "w1" && std::string(spec) != "latest-patch";
        if (minor_on_worker && r.exit_code == 1)
          EXPECT_NE(r.out.find("ControlPlaneFirst"), std::string::npos) << where << "\n" << r.out;
        else
          EXPECT_EQ(r.exit_code, 0) << where << "\n" << r.err << r.out;
        EXPECT_NE(r.err.find(std::string("[upgrade/versions] Target version: ") + version + " (" + why + ", from " +
                             manager + ")"),
                  std::string::npos)
            << where << "\n" << r.err;
        EXPECT_NE(r.out.find(std::string("target: ") + version), std::string::npos) << where << "\n" << r.out;
        EXPECT_EQ(test::diff_trees(before, node_snapshot(root)), "") << where;
      }
    }
  }
  const auto json = kuphost(on("rhel", "cp1", {"plan", "next-minor", "-o", "json"}));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(YAML::Load(json.out)["target"].as<std::string>(), "v1.31.4");
}

// Versions no repository offers: exit 2 with one line, nothing changed.
// Unlike other bad input these are found only by asking the package
// manager, so the node's command log grows.
TEST_F(CliTest, UnresolvableVersionsFailWithOneLineAndChangeNothing) {
  for (const auto &[sandbox, node, args] :
       {std::tuple{"ubuntu", "cp1", std::vector<std::string>{"plan", "1.35"}},
        std::tuple{"rhel", "w1", std::vector<std::string>{"apply", "--dry-run", "1.35"}},
        std::tuple{"rhel", "cp1", std::vector<std::string>{"apply", "-y", "1.35"}}}) {
    const auto root = node_root(sandbox, node);
    const auto before = node_snapshot(root);
    const auto r = kuphost(on(sandbox, node, args));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    std::string last_line = r.err;
    if (!last_line.empty()) last_line.pop_back();
    last_line = last_line.substr(last_line.rfind('\n') + 1);
    EXPECT_EQ(last_line.rfind("kuphost: error: ", 0), 0u) << r.err;
    EXPECT_NE(last_line.find("cannot list the v1.35 versions of kubeadm"), std::string::npos) << r.err;
    EXPECT_NE(last_line.find("pkgs.k8s.io has none for that minor yet"), std::string::npos) << r.err;
    EXPECT_EQ(test::diff_trees(before, node_snapshot(root)), "");
    EXPECT_FALSE(fs::exists(root / "var/lib/kuphost/journal.yaml"));
  }
  expect_bad_input(on("ubuntu", "cp1", {"plan", "1.31.x"}), "MAJOR.MINOR (1.31: its newest patch), latest-patch or next-minor");
}

}  // namespace
}  // namespace kuphost
