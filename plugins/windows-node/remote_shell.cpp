#include "remote_shell.h"

#include "powershell_script.h"
#include "support/text.hpp"

namespace kuphost_plugins::windows_node {
namespace {

// ssh's own failures (unreachable, authentication) exit 255.
constexpr int kSshFailed = 255;

[[noreturn]] void unreachable(const SshTarget &target, const std::string &err) {
  const std::string why = last_line_of(err);
  throw kup::Error(KUP_E_COMMAND_FAILED, "cannot reach " + target.host + " over ssh" +
                                             (why.empty() ? std::string() : ": " + why) +
                                             " (check windows-node.ssh-host, ssh-user and ssh-key)");
}

}  // namespace

std::vector<std::string> SshShell::ssh_argv(const std::string &script) const {
  std::vector<std::string> argv{"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30"};
  if (!target_.key.empty()) argv.insert(argv.end(), {"-i", target_.key});
  if (!target_.port.empty()) argv.insert(argv.end(), {"-p", target_.port});
  if (!target_.user.empty()) argv.insert(argv.end(), {"-l", target_.user});
  argv.push_back(target_.host);
  argv.insert(argv.end(), {"powershell", "-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                           "-EncodedCommand", encode_command(script)});
  return argv;
}

std::vector<std::string> SshShell::scp_argv(const std::string &local_path, const std::string &remote_path) const {
  std::vector<std::string> argv{"scp", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30"};
  if (!target_.key.empty()) argv.insert(argv.end(), {"-i", target_.key});
  if (!target_.port.empty()) argv.insert(argv.end(), {"-P", target_.port});
  argv.push_back(local_path);
  argv.push_back((target_.user.empty() ? std::string() : target_.user + "@") + target_.host + ":" + remote_path);
  return argv;
}

ShellResult SshShell::run(const std::string &script, const ShellOptions &options) {
  kup::ExecOptions opt;
  opt.read_only = options.read_only;
  opt.check = false;
  opt.timeout_ms = options.timeout_ms;
  host_.debug("PowerShell for " + target_.host + ":\n" + script);
  const kup::ExecResult r = host_.run(ssh_argv(script), opt);
  if (r.exit_code == kSshFailed) unreachable(target_, r.err);
  return ShellResult{r.exit_code, r.not_run, r.out, r.err};
}

void SshShell::copy_to_node(const std::string &local_path, const std::string &remote_path, uint32_t timeout_ms) {
  kup::ExecOptions opt;
  opt.check = false;
  opt.timeout_ms = timeout_ms;
  const kup::ExecResult r = host_.run(scp_argv(local_path, remote_path), opt);
  if (r.exit_code == 0) return;
  const std::string why = last_line_of(r.err);
  throw kup::Error(KUP_E_COMMAND_FAILED, "copying " + local_path + " to " + target_.host + ":" + remote_path +
                                             " failed" + (why.empty() ? std::string() : ": " + why));
}

}  // namespace kuphost_plugins::windows_node
