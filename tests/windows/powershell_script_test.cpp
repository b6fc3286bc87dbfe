// The PowerShell kuphost generates: every line within the PowerShell subset's
// statements (so the sandbox stand-in and a real node read the same thing),
// the node script of `plan -o powershell` (its golden file is checked end to end
// by windows_node_sandbox_tests), and the ssh transport.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <regex>

#include "node_host.h"
#include "node_steps.h"
#include "powershell_script.h"
#include "remote_shell.h"
#include "support/node_status_query.hpp"
#include "windows_fakes.h"
#include "windows_upgrade.h"

namespace kuphost::test {
namespace {

using namespace kuphost_plugins::windows_node;

// The contract's statements (sdk/sandbox/README.md, "Windows nodes"), as regexes.
bool in_contract(const std::string &line) {
  static const std::string q = R"('(?:[^']|'')*')", v = R"(\$[A-Za-z][A-Za-z0-9]*)";
  static const std::string statement =
      "(?:" + v + " = " + q + "|" + v + R"( = \(Get-FileHash -Algorithm SHA256 -LiteralPath )" + q + R"(\)\.Hash)" +
      "|" + v + R"( = \(Get-Content -Raw -LiteralPath )" + q + R"(\)\.Trim\(\))" + "|" + v +
      R"( = \(Get-Service -Name (?:kubelet|kube-proxy)\)\.Status)" + "|" + v +
      R"( = \[bool\]\(Get-Service -Name (?:kubelet|kube-proxy) -ErrorAction SilentlyContinue\))" +
      "|Write-Output (?:" + q + "|" + v + R"(|"kuphost: )" + v + R"("))" +
      "|New-Item -ItemType Directory -Force -Path " + q + R"( \| Out-Null)" +
      "|(?:Copy|Move)-Item -Force -LiteralPath " + q + " -Destination " + q +
      "|Remove-Item -Force -Recurse -LiteralPath " + q + "|curl\\.exe -fsSL --retry 3 -o " + q + " " + q +
      R"(|& 'C:\\k\\[a-z-]+\.exe' (?:upgrade node|--version))" + "|(?:Stop|Start)-Service -Name (?:kubelet|kube-proxy)" +
      "|exit [0-9]+)";
  static const std::string cond = R"((?:\$LASTEXITCODE -ne 0|)" + v + " -(?:ne|eq) " + v + "|Test-Path -LiteralPath " +
                                  q + R"(|-not \(Test-Path -LiteralPath )" + q + R"(\)|)" + v + ")";
  static const std::regex any("^(?:#.*|" + statement + R"(|if \()" + cond + R"(\) \{ (?:throw )" + q + "|" +
                              statement + R"() \})$)");
  return line.empty() || std::regex_match(line, any);
}

void expect_in_contract(const PsScript &script) {
  for (const auto &line : script.lines()) EXPECT_TRUE(in_contract(line)) << "outside the contract: " << line;
}

NodeScriptInput golden_input(const std::string &local_dir = "") {
  NodeScriptInput in;
  in.node = "win1";
  in.target = "v1.31.2";
  in.stamp = "20261127-095752";
  in.base_url = "https://dl.k8s.io";
  in.local_dir = local_dir;
  in.scp_destination = "Administrator@win1";
  in.drain_command = {"kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "drain", "win1",
                      "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=300s"};
  in.status_command = {"kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "node", "win1", "-o",
                       kuphost_plugins::kNodeStatusJsonPath};
  return in;
}

// Every phase's section, in order: the node's part of `plan -o powershell`.
std::string node_script(const NodeScriptInput &in) {
  PsScript s = PsScript::section();
  for (const PsScript &section : {prelude_section(in), download_section(in), drain_section(in),
                                  upgrade_node_section(in), binaries_section(in), restart_section(in)})
    s.append(section);
  return s.text();
}

std::string decode_command(const std::string &b64) {
  std::string bytes(b64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(bytes.data()),
                          reinterpret_cast<const unsigned char *>(b64.data()), static_cast<int>(b64.size()));
  n -= static_cast<int>(std::count(b64.end() - 2, b64.end(), '='));
  std::string ascii;
  for (int i = 0; i + 1 < n; i += 2) ascii += bytes[static_cast<size_t>(i)];  // ASCII scripts: high bytes are 0
  return ascii;
}

TEST(PowerShellScript, QuotesDoubleSingleQuotesAndEncodesUtf16LittleEndian) {
  EXPECT_EQ(ps_quote("C:\\k\\it's"), "'C:\\k\\it''s'");
  EXPECT_EQ(encode_command("a"), "YQA=");
  EXPECT_EQ(encode_command("\xc3\xa9"), "6QA=");  // é is U+00E9
  EXPECT_EQ(decode_command(encode_command("Stop-Service -Name kubelet\n")), "Stop-Service -Name kubelet\n");
}

TEST(PowerShellScript, EveryStepStaysWithinTheContract) {
  const std::string staging = staging_dir("20261127-095752"), backup = backup_dir("20261127-095752");
  const std::string url = "https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe";
  for (const PsScript &s :
       {probe_script(), fetch_checksum_script(staging, kKubelet, url), fetch_binary_script(staging, kKubelet, url),
        make_dir_script(staging), verify_staged_script(staging, kKubelet),
        backup_script(backup, {kKubeadm, kKubelet, kKubeProxy}), replace_script(staging, kKubelet),
        upgrade_node_script(), stop_services_script({"kubelet", "kube-proxy"}),
        start_services_script({"kubelet", "kube-proxy"}), restore_script(backup, {kKubeadm, kKubelet}, true),
        remove_dir_script(staging)})
    expect_in_contract(s);
  PsScript odd("odd");
  odd.copy("C:\\k\\it's here", "C:\\k\\b").set("v", "'");
  expect_in_contract(odd);
  EXPECT_EQ(odd.lines().back(), "$v = ''''");
}

// The golden file of the whole `kuphost plan -o powershell` output is
// tests/golden/windows-node-plan.ps1 (windows_node_sandbox_tests, which also
// runs it on the sandbox's node); here every line is held to the contract.
TEST(PowerShellScript, NodeScriptStaysInsideTheContract) {
  const std::string text = node_script(golden_input());
  EXPECT_NE(text.find("& 'C:\\k\\kubeadm.exe' upgrade node"), std::string::npos) << text;
  PsScript whole = PsScript::section();
  for (const auto &s : {prelude_section(golden_input()), download_section(golden_input())}) whole.append(s);
  expect_in_contract(whole);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_TRUE(in_contract(line)) << line;
}

TEST(PowerShellScript, AirGappedNodeScriptCopiesFromTheAdminMachineAndChecksOnTheNode) {
  const std::string text = node_script(golden_input("/srv/windows-bin"));
  EXPECT_NE(text.find("# on the admin machine: scp /srv/windows-bin/kubelet.exe "
                      "Administrator@win1:C:/k/kuphost-staging-20261127-095752/kubelet.exe"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("curl.exe"), std::string::npos) << text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_TRUE(in_contract(line)) << line;
}

TEST(PowerShellScript, PowerShellPlansStayInsideTheContractAndSendNothing) {
  NodeHost node;
  RecordingShell shell;
  WindowsSettings settings;
  settings.node_name = settings.ssh.host = "win1";
  WindowsUpgrade upgrade(node.host(), settings, shell);
  for (const char *phase : {"stage-binaries", "drain", "upgrade-node", "binaries", "kubelet-restart"}) {
    const auto lines = upgrade.plan(phase, "v1.31.2", /*powershell=*/true);
    EXPECT_FALSE(lines.empty()) << phase;
    for (const auto &line : lines) EXPECT_TRUE(in_contract(line)) << phase << ": " << line;
  }
  EXPECT_TRUE(shell.sent.empty());  // a plan sends nothing to the node
  EXPECT_FALSE(upgrade.plan("drain", "v1.31.2", false).empty());
}

TEST(SshShell, SendsTheScriptEncodedOverTheContractsArgv) {
  NodeHost node;
  SshShell shell(node.host(), SshTarget{"win1.example", "Administrator", "/root/.ssh/win", "2222"});
  node.h.runner.reply("ssh", 0, "kube-proxy-service\nTrue\n");
  const ShellResult r = shell.run("Write-Output 'x'\n", ShellOptions{true, 1000});
  EXPECT_EQ(r.out, "kube-proxy-service\nTrue\n");
  ASSERT_EQ(node.h.runner.calls.size(), 1u);
  const auto &argv = node.h.runner.calls[0];
  const std::vector<std::string> head{"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-i", "/root/.ssh/win",
                                      "-p", "2222", "-l", "Administrator", "win1.example", "powershell", "-NoLogo",
                                      "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand"};
  ASSERT_EQ(argv.size(), head.size() + 1);
  EXPECT_EQ(std::vector<std::string>(argv.begin(), argv.end() - 1), head);
  EXPECT_EQ(decode_command(argv.back()), "Write-Output 'x'\n");
  EXPECT_EQ(shell.scp_argv("/srv/kubelet.exe", "C:/k/s/kubelet.exe"),
            (std::vector<std::string>{"scp", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-i", "/root/.ssh/win",
                                      "-P", "2222", "/srv/kubelet.exe", "Administrator@win1.example:C:/k/s/kubelet.exe"}));
}

TEST(SshShell, DryRunSendsOnlyWhatReads) {
  NodeHost node(RunMode::kDryRun);
  SshShell shell(node.host(), SshTarget{"win1", "", "", ""});
  EXPECT_TRUE(shell.run("Stop-Service -Name kubelet\n", ShellOptions{false, 1000}).not_run);
  shell.copy_to_node("/srv/kubelet.exe", "C:/k/s/kubelet.exe", 1000);
  EXPECT_TRUE(node.h.runner.calls.empty());
  EXPECT_FALSE(shell.run("Write-Output 'x'\n", ShellOptions{true, 1000}).not_run);
  EXPECT_EQ(node.h.runner.calls.size(), 1u);
}

TEST(SshShell, AnUnreachableNodeIsOneClearError) {
  NodeHost node;
  SshShell shell(node.host(), SshTarget{"win1", "", "", ""});
  node.h.runner.reply("ssh", 255, "", "ssh: connect to host win1 port 22: Connection refused\n");
  const kup::Error e = error_of([&] { shell.run("Write-Output 'x'\n", ShellOptions{true, 1000}); });
  EXPECT_EQ(std::string(e.what()),
            "cannot reach win1 over ssh: ssh: connect to host win1 port 22: Connection refused (check "
            "windows-node.ssh-host, ssh-user and ssh-key)");
}

}  // namespace
}  // namespace kuphost::test
