// A Windows worker's sandbox layout and its admin machine's ssh and scp:
// what they accept, refuse, and where scp's files land.
#include <algorithm>

#include "windows_binaries.h"
#include "windows_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

TEST_F(WindowsNodeTest, CreateWritesTheMirrorAndTheNodesBinaries) {
  for (const char *version : {"v1.30.0", "v1.30.7", "v1.31.4", "v1.32.2"}) {
    for (const char *name : {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe", "kubectl.exe"}) {
      const std::string binary = mirror(version, name);
      EXPECT_TRUE(binary.starts_with("MZ")) << version << name;
      EXPECT_TRUE(contains(binary, name) && contains(binary, version)) << binary;
      EXPECT_EQ(mirror(version, std::string(name) + ".sha256"), detail::sha256_hex(binary));  // hex only, no name
    }
  }
  EXPECT_NE(mirror("v1.31.2", "kubelet.exe"), mirror("v1.31.3", "kubelet.exe"));
  for (const char *name : {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe", "kubectl.exe"})
    EXPECT_EQ(read_text(c_k(name)), mirror("v1.30.5", name)) << name;
  // The root plays the admin machine: ssh, scp, kubectl and admin credentials; no Linux node tools.
  std::vector<std::string> tools;
  for (const auto &e : fs::directory_iterator(win1().root / "usr/bin")) tools.push_back(e.path().filename());
  std::sort(tools.begin(), tools.end());
  EXPECT_EQ(tools, (std::vector<std::string>{"kubectl", "scp", "ssh"}));
  EXPECT_EQ(read_text(win1().root / "etc/kubernetes/admin.conf"),
            read_text(sb_.find("cp1")->root / "etc/kubernetes/admin.conf"));
  const YAML::Node state = YAML::LoadFile(node_yaml(win1()).string());
  EXPECT_EQ(state["units"]["kube-proxy"]["state"].as<std::string>(), "active");
  EXPECT_EQ(state["units"]["kubelet"]["state"].as<std::string>(), "active");
  // Every worker of a windows-2022 sandbox is Windows; its control plane is Linux.
  EXPECT_TRUE(fs::is_symlink(sb_.find("w1")->root / "usr/bin/ssh"));
  EXPECT_FALSE(fs::exists(sb_.find("cp1")->root / "usr/bin/ssh"));
  EXPECT_FALSE(fs::exists(sb_.find("cp1")->root / "usr/bin/scp"));
}

TEST_F(WindowsNodeTest, SshReachesOnlyThisNodeByNameOrAddress) {
  EXPECT_EQ(powershell(win1(), "exit 5", "10.0.0.12").exit_code, 5);  // win1's address in sandbox.yaml
  EXPECT_EQ(powershell(win1(), "exit 5", "Administrator@WIN1").exit_code, 5);
  for (const char *host : {"w1", "cp1", "10.0.0.10"}) {  // other nodes are not this admin machine's
    const auto r = powershell(win1(), "exit 0", host);
    EXPECT_EQ(r.exit_code, 255) << host;
    EXPECT_EQ(r.err, "ssh: Could not resolve hostname " + std::string(host) + ": Name or service not known\n");
  }
  // Only the two scripts that reached the node are logged.
  const std::string log = read_text(win1().root / "var/log/kuphost-sandbox/powershell.log");
  EXPECT_TRUE(log.starts_with("# ssh 10.0.0.12 ")) << log;
  EXPECT_TRUE(contains(log, "\n# ssh win1 ")) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '#'), 2) << log;
}

TEST_F(WindowsNodeTest, SshRefusesWhatTheTransportDoesNotUse) {
  auto r = run_on(win1(), "ssh", {"-v", "win1", "powershell", "-EncodedCommand", encode_powershell("exit 0")});
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_TRUE(contains(r.err, "option -v is not simulated") && contains(r.err, "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy]"))
      << r.err;
  r = run_on(win1(), "ssh", {"-o", "ProxyJump=bastion", "win1", "hostname"});
  EXPECT_EQ(r.exit_code, 255);
  r = run_on(win1(), "ssh", {"-p", "twenty-two", "win1", "hostname"});
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_EQ(r.err, "Bad port 'twenty-two'\n");
  r = run_on(win1(), "ssh", {"-o", "BatchMode=yes", "-i", "/nonexistent/key", "-p", "2222", "-l", "Administrator",
                             "win1", "hostname"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "Warning: Identity file /nonexistent/key not accessible"));
  EXPECT_TRUE(contains(r.err, "'hostname' is not recognized as an internal or external command")) << r.err;
  r = run_on(win1(), "ssh", {"win1", "powershell", "-Command", "exit 0"});
  EXPECT_EQ(r.exit_code, 1);
  r = run_on(win1(), "ssh", {"win1", "powershell", "-EncodedCommand", "not*base64"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "-EncodedCommand is not properly encoded")) << r.err;
}

TEST_F(WindowsNodeTest, ScpCopiesALocalFileIntoAnExistingDirectory) {
  const fs::path local = tmp_.path() / "kubelet.exe";
  write_text(local, mirror("v1.31.2", "kubelet.exe"));
  const std::vector<std::string> options{"-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-P", "22"};
  const auto scp = [&](const std::string &target, const fs::path &source) {
    std::vector<std::string> args = options;
    args.push_back(source.string());
    args.push_back(target);
    return run_on(win1(), "scp", args);
  };
  auto r = scp("win1:C:/k/kuphost-staging-7/kubelet.exe", local);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "scp: dest open \"C:/k/kuphost-staging-7/kubelet.exe\": No such file or directory\n");
  ASSERT_EQ(powershell(win1(), "New-Item -ItemType Directory -Force -Path 'C:\\k\\kuphost-staging-7' | Out-Null")
                .exit_code, 0);
  r = scp("Administrator@win1:C:/k/kuphost-staging-7/kubelet.exe", local);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(c_k("kuphost-staging-7/kubelet.exe")), mirror("v1.31.2", "kubelet.exe"));
  ASSERT_EQ(scp("win1:/C:/k/kuphost-staging-7/kubelet2.exe", local).exit_code, 0);
  EXPECT_TRUE(fs::exists(c_k("kuphost-staging-7/kubelet2.exe")));
  // The running kubelet's binary cannot be overwritten.
  EXPECT_EQ(scp("win1:C:/k/kubelet.exe", local).exit_code, 1);
  EXPECT_EQ(read_text(c_k("kubelet.exe")), mirror("v1.30.5", "kubelet.exe"));
  r = scp("win1:C:/k/kuphost-staging-7/x.exe", tmp_.path() / "missing.exe");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "No such file or directory")) << r.err;
  r = scp("win9:C:/k/x.exe", local);
  EXPECT_EQ(r.exit_code, 255);
  EXPECT_EQ(r.err, "ssh: Could not resolve hostname win9: Name or service not known\nscp: Connection closed\n");
}

}  // namespace
}  // namespace kuphost::sandbox::testing
