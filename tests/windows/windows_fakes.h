// Test doubles for the windows-node plugin: a RemoteShell that records the
// PowerShell it receives and answers as a small simulated Windows node
// (files by digest, services, staging and backup), a kubectl on the "admin
// machine" that keeps one Node's cordon and status, and a phase call.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "remote_shell.h"
#include "services/command_runner.h"

namespace kuphost::test {

using kuphost_plugins::windows_node::RemoteShell;
using kuphost_plugins::windows_node::ShellOptions;
using kuphost_plugins::windows_node::ShellResult;

// The cluster's view of the node, as kubectl on the admin machine sees it.
struct FakeNodeStatus {
  bool cordoned = false;
  std::string kubelet_version = "v1.30.5";
  bool ready = true;
};

// Answers `kubectl --kubeconfig K get node|drain|uncordon NODE ...`.
class FakeKubectl : public CommandRunner {
 public:
  explicit FakeKubectl(FakeNodeStatus &node) : node_(node) {}
  CommandResult run(const Command &command) override;
  std::vector<std::vector<std::string>> calls;
  std::vector<std::string> *events = nullptr;  // "kubectl drain" / "kubectl uncordon" appended
  int drain_exit = 0;

 private:
  FakeNodeStatus &node_;
};

// A Windows node: C:\k binaries by content ("kubelet v1.31.2"), the
// dl.k8s.io mirror, and the kubelet / kube-proxy services.
class FakeWindowsNode {
 public:
  explicit FakeWindowsNode(FakeNodeStatus &status);
  ShellResult answer(const std::string &step, const std::string &script);

  std::map<std::string, std::string> files;      // C:\k\NAME -> content
  std::map<std::string, std::string> staged;     // staging NAME -> content
  std::map<std::string, std::string> backup;     // backup NAME -> content
  std::map<std::string, std::string> mirror;     // NAME -> content served for the target
  std::map<std::string, std::string> published;  // NAME -> content the .sha256 was made from
  std::map<std::string, bool> running{{"kubelet", true}, {"kube-proxy", true}};
  bool kube_proxy_service = true;
  bool never_ready = false;

 private:
  FakeNodeStatus &status_;
};

class RecordingShell : public RemoteShell {
 public:
  struct Sent {
    std::string step, script;
    bool read_only = false, ran = false;
  };
  ShellResult run(const std::string &script, const ShellOptions &options) override;
  void copy_to_node(const std::string &local_path, const std::string &remote_path, uint32_t timeout_ms) override;
  // Steps that ran (not the ones dry-run only showed), in order.
  std::vector<std::string> steps() const;

  bool dry_run = false;
  std::function<ShellResult(const std::string &step, const std::string &script)> respond;
  std::function<void(const std::string &local, const std::string &remote)> on_copy;
  std::vector<Sent> sent;
  std::vector<std::pair<std::string, std::string>> copies;  // local, remote
};

// One call into a phase, its output lines and reported outcome.
class PhaseCall {
 public:
  PhaseCall(std::string phase, std::string target = "v1.31.2", bool dry_run = false);
  kup::Call call() const { return kup::Call(&raw_); }
  const std::string &out() const { return out_.str(); }
  int outcome = -1;  // KUP_OUTCOME_*, -1 when none was reported
  std::string summary;

 private:
  static void KUP_ABI set_outcome(const kup_phase_call *self, uint32_t outcome, kup_str summary);
  std::string phase_, target_;
  kup::StringSink out_;
  kup_phase_call raw_{};
};

// "kubelet v1.31.2" -> its lower-case SHA-256.
std::string digest_of(const std::string &content);

}  // namespace kuphost::test
