//===- windows-node/windows_steps.h - the Windows worker procedure --------===//
//
// The steps of "Upgrading Windows nodes" (windows.md §1), as the commands
// kuphost would run: PowerShell on the node over SSH, kubectl on the machine
// kuphost runs on. Binaries come from dl.k8s.io (or binaries-from) and are
// checked against their .sha256 files, which hold only the hex digest.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_WINDOWS_NODE_WINDOWS_STEPS_H
#define KUPHOST_PLUGINS_WINDOWS_NODE_WINDOWS_STEPS_H

#include <string>
#include <vector>

namespace kuphost_plugins::windows_node {

// The windows-node section of kuphost.yaml, with the node's name.
struct WindowsSettings {
  std::string node_name;
  std::string ssh_host;  // empty = the node name
  std::string ssh_user;  // empty = ssh's own default
  std::string ssh_key;   // empty = ssh's own default
  std::string binaries_from = "https://dl.k8s.io";
};

class WindowsSteps {
 public:
  // `target` is "v1.31.2", or a placeholder when the plan has no version.
  WindowsSteps(WindowsSettings settings, std::string target);

  std::vector<std::string> kubeadm_binary() const;
  std::vector<std::string> drain() const;
  std::vector<std::string> upgrade_node() const;
  std::vector<std::string> binaries() const;
  std::vector<std::string> kubelet_restart() const;

 private:
  // ssh ... powershell -Command <script>
  std::string remote(const std::string &script) const;
  // Download, checksum check and replacement of one binary in C:\k.
  void replace_binary(std::vector<std::string> &steps, const std::string &binary) const;
  std::string kubectl(std::vector<std::string> args) const;

  WindowsSettings settings_;
  std::string target_;
};

}  // namespace kuphost_plugins::windows_node

#endif  // KUPHOST_PLUGINS_WINDOWS_NODE_WINDOWS_STEPS_H
