// windows-node end to end on the sandbox's Windows worker (issue 7;
// sdk/sandbox/README.md "Windows nodes"): the kuphost executable on the "admin machine" of win1, the
// sandbox's ssh/scp stand-ins playing Windows OpenSSH and PowerShell, the
// simulated API server and the real kubectl. Label cluster
// (select with -R WindowsNodeSandbox).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <regex>

#include "cluster_test_support.h"

namespace kuphost::test {
namespace {

namespace fs = std::filesystem;

const char *const kBinaries[] = {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe"};

std::string all_output(const ProcessResult &r) { return r.out + r.err; }

// -EncodedCommand's argument: base64 of the UTF-16LE script (ASCII here).
std::string encoded_command(const std::string &script) {
  std::string utf16;
  for (const unsigned char c : script) {
    utf16 += static_cast<char>(c);
    utf16 += '\0';
  }
  std::string out(4 * ((utf16.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(utf16.data()), static_cast<int>(utf16.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

class WindowsNodeSandboxTest : public ::testing::Test {
 protected:
  WindowsNodeSandboxTest() : cluster_(options()) {}
  static SandboxClusterOptions options() {
    SandboxClusterOptions o;
    o.nodes = "cp1:first-control-plane,win1:worker";
    o.distro = "windows-2022";  // control planes stay on ubuntu-24.04
    return o;
  }
  fs::path node_file(const std::string &name) const { return cluster_.root("win1") / "C/k" / name; }
  fs::path mirror_file(const std::string &name) const {
    return cluster_.dir() / "cluster/dl.k8s.io/v1.31.2/bin/windows/amd64" / name;
  }
  std::map<std::string, std::string> node_binaries() const {
    std::map<std::string, std::string> out;
    for (const char *name : kBinaries) out[name] = read_file(node_file(name));
    return out;
  }
  std::string powershell_log() const {
    const fs::path log = cluster_.root("win1") / "var/log/kuphost-sandbox/powershell.log";
    return fs::exists(log) ? read_file(log) : std::string();
  }
  // The control plane first, as the Windows page requires.
  void upgrade_control_plane() const {
    const auto r = cluster_.apply("cp1");
    ASSERT_EQ(r.exit_code, 0) << all_output(r);
  }
  ProcessResult upgrade_windows_node() const {
    return cluster_.kuphost("win1", {"--plugins", "windows-node", "apply", "-y", "v1.31.2"});
  }
  YAML::Node win1() const {
    for (const auto &n : cluster_.nodes()["items"])
      if (n["metadata"]["name"].as<std::string>() == "win1") return n;
    ADD_FAILURE() << "no node win1";
    return {};
  }
  static std::string ready_of(const YAML::Node &node) {
    for (const auto &c : node["status"]["conditions"])
      if (c["type"].as<std::string>() == "Ready") return c["status"].as<std::string>();
    return "";
  }
  static bool unschedulable(const YAML::Node &node) {
    return node["spec"]["unschedulable"] && node["spec"]["unschedulable"].as<bool>();
  }

  SandboxCluster cluster_;
};

TEST_F(WindowsNodeSandboxTest, FullUpgradeReplacesTheBinariesInTheWindowsOrderAndKeepsABackup) {
  upgrade_control_plane();
  const auto before = node_binaries();
  const auto r = upgrade_windows_node();
  ASSERT_EQ(r.exit_code, 0) << all_output(r);

  for (const char *name : kBinaries) EXPECT_EQ(read_file(node_file(name)), read_file(mirror_file(name))) << name;
  const YAML::Node node = win1();
  EXPECT_EQ(node["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.31.2");
  EXPECT_EQ(ready_of(node), "True");
  EXPECT_FALSE(unschedulable(node));

  std::vector<fs::path> backups;
  for (const auto &e : fs::directory_iterator(cluster_.root("win1") / "C/k"))
    if (e.path().filename().string().rfind("kuphost-backup-", 0) == 0) backups.push_back(e.path());
  ASSERT_EQ(backups.size(), 1u);
  for (const char *name : kBinaries) EXPECT_EQ(read_file(backups[0] / name), before.at(name)) << name;
  // The staging dir is gone once the node is Ready.
  for (const auto &e : fs::directory_iterator(cluster_.root("win1") / "C/k"))
    EXPECT_NE(e.path().filename().string().rfind("kuphost-staging-", 0), 0u) << e.path();

  // Every binary checked before the first change; kube-proxy stopped before the kubelet.
  const std::string log = powershell_log();
  const auto at = [&](const std::string &text) {
    const auto pos = log.find(text);
    EXPECT_NE(pos, std::string::npos) << text;
    return pos;
  };
  EXPECT_LT(at("# kuphost step: fetch kube-proxy.exe"), at("# kuphost step: backup"));
  EXPECT_LT(at("# kuphost step: backup"), at("& 'C:\\k\\kubeadm.exe' upgrade node"));
  EXPECT_LT(at("& 'C:\\k\\kubeadm.exe' upgrade node"), at("Stop-Service -Name kube-proxy"));
  EXPECT_LT(at("Stop-Service -Name kube-proxy"), at("Stop-Service -Name kubelet"));
  EXPECT_LT(at("Stop-Service -Name kubelet"), at("Start-Service -Name kubelet"));

  // Drained and uncordoned by kuphost.
  std::vector<bool> cordons;
  for (const auto &line : cluster_.cordon_history())
    if (line["node"].as<std::string>() == "win1") cordons.push_back(line["cordoned"].as<bool>());
  EXPECT_EQ(cordons, (std::vector<bool>{true, false}));
}

TEST_F(WindowsNodeSandboxTest, ChecksumMismatchIsRefusedBeforeAnythingIsDrainedOrReplaced) {
  upgrade_control_plane();
  write_file(mirror_file("kubelet.exe.sha256"), std::string(64, '0') + "\n");
  const auto before = node_binaries();
  const auto r = upgrade_windows_node();
  ASSERT_NE(r.exit_code, 0) << all_output(r);
  const std::string out = all_output(r);
  EXPECT_NE(out.find("kubelet.exe"), std::string::npos) << out;
  EXPECT_NE(out.find("expected " + std::string(64, '0')), std::string::npos) << out;
  EXPECT_NE(out.find("got " + sha256_hex(read_file(mirror_file("kubelet.exe")))), std::string::npos) << out;
  EXPECT_EQ(node_binaries(), before);
  EXPECT_EQ(powershell_log().find("Stop-Service"), std::string::npos);
  EXPECT_EQ(powershell_log().find("upgrade node"), std::string::npos);
  for (const auto &line : cluster_.cordon_history()) EXPECT_NE(line["node"].as<std::string>(), "win1");
  EXPECT_EQ(win1()["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.30.5");
}

TEST_F(WindowsNodeSandboxTest, KubeletThatNeverBecomesReadyIsRolledBack) {
  upgrade_control_plane();
  cluster_.edit_cluster([](YAML::Node &cluster) {
    for (auto n : cluster["nodes"])
      if (n["name"].as<std::string>() == "win1") n["kubeletNeverReadyVersions"].push_back("v1.31.2");
  });
  cluster_.configure("win1", "windows-node:\n  ready-timeout: 5s\n");
  const auto before = node_binaries();
  const auto r = upgrade_windows_node();
  ASSERT_NE(r.exit_code, 0) << all_output(r);
  const std::string out = all_output(r);
  EXPECT_NE(out.find("win1 is not Ready with kubelet v1.31.2 after 5s"), std::string::npos) << out;
  EXPECT_NE(out.find("rolled back"), std::string::npos) << out;
  EXPECT_EQ(node_binaries(), before);
  const YAML::Node node = win1();
  EXPECT_EQ(node["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.30.5");
  EXPECT_EQ(ready_of(node), "True");
  EXPECT_FALSE(unschedulable(node));
}

// A Windows worker counts against kubeadm.upgrade-slots like any worker: with
// the only slot held by another node it does not drain, and names the holder;
// once the slot is free it upgrades, and kubeadm/uncordon frees the slot.
TEST_F(WindowsNodeSandboxTest, TheDrainWaitsForAnUpgradeSlotLikeAnyWorker) {
  upgrade_control_plane();
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char renewed[40];
  std::strftime(renewed, sizeof renewed, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
  const std::string lease = std::string("apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n") +
                            "  name: kuphost-upgrade-worker-0\n  namespace: kube-system\nspec:\n" +
                            "  holderIdentity: w9\n  leaseDurationSeconds: 3600\n  acquireTime: " + renewed +
                            "\n  renewTime: " + renewed + "\n";
  auto k = cluster_.kubectl({"create", "-f", "-"}, lease);
  ASSERT_EQ(k.exit_code, 0) << all_output(k);
  cluster_.configure("win1", "kubeadm:\n  upgrade-slot-wait: 2s\n");
  const auto before = node_binaries();
  auto r = upgrade_windows_node();
  ASSERT_NE(r.exit_code, 0) << all_output(r);
  EXPECT_NE(all_output(r).find("w9"), std::string::npos) << all_output(r);
  EXPECT_EQ(node_binaries(), before);
  for (const auto &line : cluster_.cordon_history()) EXPECT_NE(line["node"].as<std::string>(), "win1");

  k = cluster_.kubectl({"delete", "lease", "-n", "kube-system", "kuphost-upgrade-worker-0"});
  ASSERT_EQ(k.exit_code, 0) << all_output(k);
  r = upgrade_windows_node();
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  EXPECT_EQ(win1()["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.31.2");
  k = cluster_.kubectl(
      {"get", "lease", "-n", "kube-system", "kuphost-upgrade-worker-0", "-o", "jsonpath={.spec.holderIdentity}"});
  ASSERT_EQ(k.exit_code, 0) << all_output(k);
  EXPECT_EQ(k.out, "") << "kubeadm/uncordon frees the Windows worker's slot";
}

// Air-gapped: --binaries-from DIR on the admin machine (in the sandbox, under
// win1's root, which plays it). A tampered copy is refused before anything
// is copied to the node; the good ones are checked here, copied with scp,
// checked again on the node, and nothing is downloaded.
TEST_F(WindowsNodeSandboxTest, BinariesFromADirectoryAreCheckedCopiedWithScpAndNeverDownloaded) {
  upgrade_control_plane();
  const fs::path dir = cluster_.root("win1") / "srv/windows-binaries";
  fs::create_directories(dir);
  for (const char *name : kBinaries)
    for (const std::string &file : {std::string(name), std::string(name) + ".sha256"})
      fs::copy_file(mirror_file(file), dir / file);
  write_file(dir / "kubelet.exe", read_file(dir / "kubelet.exe") + "tampered");
  const auto before = node_binaries();
  const std::vector<std::string> apply{"--plugins", "windows-node", "--binaries-from", "/srv/windows-binaries",
                                       "apply", "-y", "v1.31.2"};
  auto r = cluster_.kuphost("win1", apply);
  ASSERT_NE(r.exit_code, 0) << all_output(r);
  EXPECT_NE(all_output(r).find("kubelet.exe in /srv/windows-binaries does not match its .sha256"), std::string::npos)
      << all_output(r);
  EXPECT_EQ(node_binaries(), before);
  const fs::path commands = cluster_.root("win1") / "var/log/kuphost-sandbox/commands.log";
  EXPECT_EQ(read_file(commands).find("kubelet.exe"), std::string::npos) << "no scp of the tampered file";

  fs::copy_file(mirror_file("kubelet.exe"), dir / "kubelet.exe", fs::copy_options::overwrite_existing);
  r = cluster_.kuphost("win1", apply);
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  for (const char *name : kBinaries) EXPECT_EQ(read_file(node_file(name)), read_file(mirror_file(name))) << name;
  EXPECT_EQ(powershell_log().find("curl.exe"), std::string::npos);
  EXPECT_NE(read_file(commands).find("scp "), std::string::npos);
  const YAML::Node node = win1();
  EXPECT_EQ(node["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.31.2");
  EXPECT_EQ(ready_of(node), "True");
}

// `kuphost plan -o powershell` is the script an operator runs by hand: it
// matches the golden file (timestamps aside), and run through the node's
// OpenSSH/PowerShell after a drain from the admin machine it upgrades the
// node as apply does.
TEST_F(WindowsNodeSandboxTest, PlanAsPowerShellIsTheGoldenScriptAndRunByHandUpgradesTheNode) {
  upgrade_control_plane();
  const auto r = cluster_.kuphost("win1", {"--plugins", "kubeadm,windows-node", "plan", "-o", "powershell", "v1.31.2"});
  ASSERT_EQ(r.exit_code, 0) << all_output(r);
  const std::string script = r.out;
  const std::string normalized = std::regex_replace(script, std::regex("\\d{8}-\\d{6}"), "<timestamp>");
  const fs::path golden = golden_dir() / "windows-node-plan.ps1";
  if (std::getenv("KUPHOST_UPDATE_GOLDEN")) write_file(golden, normalized);
  EXPECT_EQ(normalized, read_file(golden)) << "golden " << golden << " differs; regenerate with KUPHOST_UPDATE_GOLDEN=1";

  auto k = cluster_.kubectl({"drain", "win1", "--ignore-daemonsets", "--delete-emptydir-data"});
  ASSERT_EQ(k.exit_code, 0) << all_output(k);
  const auto run = run_process({(cluster_.root("win1") / "usr/bin/ssh").string(), "-o", "BatchMode=yes", "win1",
                                "powershell", "-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                                "-EncodedCommand", encoded_command(script)});
  ASSERT_EQ(run.exit_code, 0) << all_output(run);
  for (const char *name : kBinaries) EXPECT_EQ(read_file(node_file(name)), read_file(mirror_file(name))) << name;
  k = cluster_.kubectl({"uncordon", "win1"});
  ASSERT_EQ(k.exit_code, 0) << all_output(k);
  const YAML::Node node = win1();
  EXPECT_EQ(node["status"]["nodeInfo"]["kubeletVersion"].as<std::string>(), "v1.31.2");
  EXPECT_EQ(ready_of(node), "True");
}


}  // namespace
}  // namespace kuphost::test
