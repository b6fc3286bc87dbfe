//===- windows-node/remote_shell.h - PowerShell on the Windows node -------===//
//
// The node is reached over Windows OpenSSH (the transport sdk/sandbox/README.md documents): scripts go as
// `powershell -EncodedCommand`, files as scp. Everything passes through
// host.run, so the host's dry-run, logging and timeouts apply; tests swap in
// a recording double.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_WINDOWS_NODE_REMOTE_SHELL_H
#define KUPHOST_PLUGINS_WINDOWS_NODE_REMOTE_SHELL_H

#include <cstdint>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins::windows_node {

struct ShellResult {
  int exit_code = 0;
  bool not_run = false;  // dry-run: shown, not sent
  std::string out, err;
};

struct ShellOptions {
  bool read_only = false;  // only reads the node: runs in plan and dry-run too
  uint32_t timeout_ms = 5 * 60 * 1000;
};

class RemoteShell {
 public:
  virtual ~RemoteShell() = default;
  // Runs `script` on the node. A script's own failure is a non-zero
  // exit_code; an unreachable node throws kup::Error.
  virtual ShellResult run(const std::string &script, const ShellOptions &options) = 0;
  // Copies a file of the admin machine to `remote_path` ("C:/k/dir/name");
  // the directory must exist. Throws kup::Error on failure.
  virtual void copy_to_node(const std::string &local_path, const std::string &remote_path, uint32_t timeout_ms) = 0;
};

struct SshTarget {
  std::string host;  // the node's name unless windows-node.ssh-host
  std::string user, key, port;
};

class SshShell : public RemoteShell {
 public:
  SshShell(kup::Host host, SshTarget target) : host_(host), target_(std::move(target)) {}
  ShellResult run(const std::string &script, const ShellOptions &options) override;
  void copy_to_node(const std::string &local_path, const std::string &remote_path, uint32_t timeout_ms) override;

  // The argv of run(), for plans and tests.
  std::vector<std::string> ssh_argv(const std::string &script) const;
  std::vector<std::string> scp_argv(const std::string &local_path, const std::string &remote_path) const;

 private:
  kup::Host host_;
  SshTarget target_;
};

}  // namespace kuphost_plugins::windows_node

#endif  // KUPHOST_PLUGINS_WINDOWS_NODE_REMOTE_SHELL_H
