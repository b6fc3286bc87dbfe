// A Windows worker driven as kuphost drives it: PowerShell scripts through
// the node's ssh, against the sandbox's dl.k8s.io, services and API server.
#include "kuphost/sandbox/apiserver.h"
#include "windows_test_support.h"

namespace kuphost::sandbox::testing {
namespace {

// Download, verify, stop, replace, start: what the Windows upgrade page does by hand.
const std::string kUpgradeScript = R"ps(
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# stage the release
New-Item -ItemType Directory -Force -Path 'C:\k\kuphost-staging-1' | Out-Null
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-1\kubeadm.exe' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe'
if ($LASTEXITCODE -ne 0) { throw 'download of kubeadm.exe failed' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-1\kubeadm.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe.sha256'
$want = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-1\kubeadm.exe.sha256').Trim()
$got = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-1\kubeadm.exe').Hash
if ($want -ne $got) { throw 'kubeadm.exe: checksum mismatch' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-1\kubelet.exe' 'https://dl.k8s.io/release/v1.31.2/bin/windows/amd64/kubelet.exe'
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-1\kubelet.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe.sha256'
$want = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-1\kubelet.exe.sha256').Trim()
$got = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-1\kubelet.exe').Hash
if ($want -ne $got) { throw 'kubelet.exe: checksum mismatch' }
Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-1\kubeadm.exe' -Destination 'C:\k\kubeadm.exe'
& 'C:\k\kubeadm.exe' upgrade node
if ($LASTEXITCODE -ne 0) { exit 4 }
Stop-Service -Name kubelet
Move-Item -Force -LiteralPath 'C:\k\kubelet.exe' -Destination 'C:\k\kuphost-staging-1\kubelet.exe.old'
Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-1\kubelet.exe' -Destination 'C:\k\kubelet.exe'
Start-Service -Name kubelet
$state = (Get-Service -Name kubelet).Status
Write-Output "kuphost: kubelet $state"
& 'C:\k\kubelet.exe' --version
)ps";

TEST_F(WindowsNodeTest, ManualUpgradeByScriptMakesTheNodeReadyAtTheNewVersion) {
  ::setenv("KUBECACHEDIR", (sb_.dir / "kube-cache").c_str(), 1);
  std::string message, error;
  ASSERT_TRUE(apiserver_up(sb_.dir, KUPHOST_APISERVER_PATH, 0, &message, &error)) << error;
  struct Down {
    const fs::path dir;
    ~Down() { apiserver_down(dir, nullptr, nullptr); }
  } down{sb_.dir};

  const auto r = powershell(win1(), kUpgradeScript);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "[upgrade] The configuration for this node was successfully updated!")) << r.out;
  EXPECT_TRUE(contains(r.out, "kuphost: kubelet Running\r\nKubernetes v1.31.2\n")) << r.out;
  EXPECT_EQ(read_text(c_k("kubelet.exe")), mirror("v1.31.2", "kubelet.exe"));
  EXPECT_EQ(read_text(win1().root / "C/k/kuphost-staging-1/kubelet.exe.old"), mirror("v1.30.5", "kubelet.exe"));

  // The admin machine's real kubectl sees the upgraded, Ready node.
  const auto get = run_on(win1(), "kubectl",
                          {"--kubeconfig", "/etc/kubernetes/admin.conf", "get", "node", "win1", "-o",
                           R"(jsonpath={.status.nodeInfo.kubeletVersion} {.status.conditions[?(@.type=="Ready")].status})"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(get.out, "v1.31.2 True");

  const std::string log = read_text(win1().root / "var/log/kuphost-sandbox/powershell.log");
  EXPECT_TRUE(log.starts_with("# ssh win1 ")) << log;
  EXPECT_TRUE(contains(log, "Start-Service -Name kubelet\n"));
  EXPECT_TRUE(contains(read_text(win1().root / "var/log/kuphost-sandbox/commands.log"),
                       "ssh -o BatchMode=yes -o ConnectTimeout=30 win1 powershell -NoLogo"));
}

TEST_F(WindowsNodeTest, ChecksumMismatchThrowsAndLeavesTheFiles) {
  write_text(sb_.dir / "cluster/dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe.sha256", std::string(64, '0'));
  const auto r = powershell(win1(), kUpgradeScript);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("kubelet.exe: checksum mismatch\r\nAt line:")) << r.err;
  EXPECT_EQ(read_text(c_k("kubelet.exe")), mirror("v1.30.5", "kubelet.exe"));
  EXPECT_EQ(read_text(c_k("kubeadm.exe")), mirror("v1.30.5", "kubeadm.exe"));
  EXPECT_EQ(powershell(win1(), "Write-Output (Get-Service -Name kubelet).Status").exit_code, 1);  // not in the subset
  EXPECT_EQ(powershell(win1(), "$s = (Get-Service -Name kubelet).Status\nWrite-Output $s").out, "Running\r\n");
}

TEST_F(WindowsNodeTest, ARunningServicesBinaryIsInUse) {
  ASSERT_EQ(powershell(win1(), "New-Item -ItemType Directory -Force -Path 'C:\\k\\new' | Out-Null").exit_code, 0);
  write_text(win1().root / "C/k/new/kube-proxy.exe", mirror("v1.31.2", "kube-proxy.exe"));
  const std::string replace =
      "$ErrorActionPreference = 'Stop'\nCopy-Item -Force -LiteralPath 'C:\\k\\new\\kube-proxy.exe' -Destination "
      "'C:\\k\\kube-proxy.exe'\n";
  auto r = powershell(win1(), replace);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with("Copy-Item : The process cannot access the file because it is being used by another "
                                "process.\r\n")) << r.err;
  r = powershell(win1(), "Move-Item -Force -LiteralPath 'C:\\k\\kubelet.exe' -Destination 'C:\\k\\new\\old.exe'");
  EXPECT_EQ(r.exit_code, 1);  // without Stop: the error is printed and the last statement failed
  EXPECT_TRUE(contains(r.err, "Move-Item : The process cannot access the file")) << r.err;
  EXPECT_TRUE(fs::exists(c_k("kubelet.exe")));
  ASSERT_EQ(powershell(win1(), "Stop-Service -Name kube-proxy\n" + replace + "Start-Service -Name kube-proxy").exit_code, 0);
  EXPECT_EQ(read_text(c_k("kube-proxy.exe")), mirror("v1.31.2", "kube-proxy.exe"));
  EXPECT_EQ(powershell(win1(), "& 'C:\\k\\kube-proxy.exe' --version").out, "Kubernetes v1.31.2\n");
}

TEST_F(WindowsNodeTest, AScriptWithAnUnknownStatementDoesNothing) {
  const auto r = powershell(win1(), "New-Item -ItemType Directory -Force -Path 'C:\\k\\made' | Out-Null\n"
                                    "Restart-Service -Name kubelet\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "the sandbox's PowerShell does not understand: Restart-Service -Name kubelet\r\n");
  EXPECT_FALSE(fs::exists(c_k("made")));
  // kubeadm has no --version flag (kubeadm version -o short is its command).
  const auto v = powershell(win1(), "& 'C:\\k\\kubeadm.exe' --version\nWrite-Output $LASTEXITCODE\n"
                                    "& 'C:\\k\\kubeadm.exe' version -o short");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "1\r\nv1.30.5\n");
  EXPECT_TRUE(v.err.starts_with("unknown flag: --version\n")) << v.err;
  // A failing cmdlet under Stop ends the script with PowerShell's error.
  const auto gone = powershell(win1(), "$ErrorActionPreference = 'Stop'\nRemove-Item -Force -Recurse -LiteralPath "
                                       "'C:\\k\\nothing'\nWrite-Output 'not reached'");
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_EQ(gone.out, "");
  EXPECT_TRUE(gone.err.starts_with("Remove-Item : Cannot find path 'C:\\k\\nothing' because it does not exist.\r\n"));
}

TEST_F(WindowsNodeTest, CurlFailuresSetLastExitCodeWithoutThrowing) {
  const auto r = powershell(win1(), R"ps($ErrorActionPreference = 'Stop'
curl.exe -fsSL --retry 3 -o 'C:\k\x.exe' 'https://dl.k8s.io/v1.99.0/bin/windows/amd64/kubelet.exe'
Write-Output "kuphost: $LASTEXITCODE"
curl.exe -fsSL --retry 3 -o 'C:\k\x.exe' 'https://mirror.example.com/v1.31.2/kubelet.exe'
Write-Output "kuphost: $LASTEXITCODE"
if (Test-Path -LiteralPath 'C:\k\x.exe') { exit 9 }
if ($LASTEXITCODE -eq 6) { exit 7 }
)ps");
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(r.out, "kuphost: 22\r\nkuphost: 6\r\n");
  EXPECT_EQ(r.err, "curl: (22) The requested URL returned error: 404\ncurl: (6) Could not resolve host: "
                   "mirror.example.com\n");
}

TEST_F(WindowsNodeTest, NeverReadyVersionsKeepTheNewKubeletNotReady) {
  YAML::Node doc = YAML::LoadFile(cluster_yaml(sb_).string());
  for (auto n : doc["nodes"])
    if (n["name"].as<std::string>() == "win1") n["kubeletNeverReadyVersions"].push_back("v1.31.2");
  YAML::Emitter out;
  out << doc;
  write_text(cluster_yaml(sb_), out.c_str());

  const std::string swap = "$ErrorActionPreference = 'Stop'\nStop-Service -Name kubelet\n"
                           "Copy-Item -Force -LiteralPath 'C:\\k\\next.exe' -Destination 'C:\\k\\kubelet.exe'\n"
                           "Start-Service -Name kubelet\n";
  write_text(c_k("next.exe"), mirror("v1.31.2", "kubelet.exe"));
  ASSERT_EQ(powershell(win1(), swap).exit_code, 0);
  EXPECT_EQ(cluster_node(sb_, "win1")["kubeletVersion"].as<std::string>(), "v1.31.2");
  EXPECT_FALSE(cluster_node(sb_, "win1")["ready"].as<bool>());
  // Rolling back to the old kubelet brings the node back.
  write_text(c_k("next.exe"), mirror("v1.30.5", "kubelet.exe"));
  ASSERT_EQ(powershell(win1(), swap).exit_code, 0);
  EXPECT_EQ(cluster_node(sb_, "win1")["kubeletVersion"].as<std::string>(), "v1.30.5");
  EXPECT_TRUE(cluster_node(sb_, "win1")["ready"].as<bool>());
  const YAML::Node state = YAML::LoadFile(node_yaml(win1()).string());
  EXPECT_EQ(state["runningKubeletVersion"].as<std::string>(), "1.30.5");
}

}  // namespace
}  // namespace kuphost::sandbox::testing
