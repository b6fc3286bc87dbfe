#include "kubectl.h"

#include "support/exec_options.hpp"
#include "support/node_status_query.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

// Reads cluster state only, so it runs in plan and dry-run too; short,
// because a healthy API server answers in well under a second.
kup::ExecOptions query_options() { return read_only_query(30 * 1000); }

}  // namespace

Kubectl::Kubectl(const kup::Host &host, std::string binary, bool control_plane, std::string kubeconfig_override)
    : host_(host), binary_(std::move(binary)) {
  if (control_plane || host_.stat(kAdminConf).exists()) kubeconfig_ = kAdminConf;
  else if (!kubeconfig_override.empty()) kubeconfig_ = std::move(kubeconfig_override);
  else kubeconfig_ = kKubeletConf;
}

std::vector<std::string> Kubectl::argv(std::vector<std::string> args) const {
  std::vector<std::string> out{binary_, "--kubeconfig", kubeconfig_};
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

bool Kubectl::cordoned(const std::string &node) const {
  kup::ExecOptions opt = query_options();
  opt.check = true;
  const auto r = host_.run(argv({"get", "node", node, "-o", "jsonpath={.spec.unschedulable}"}), opt);
  return trim(r.out) == "true";
}

std::optional<bool> Kubectl::cordoned_if_known(const std::string &node) const {
  try {
    const auto r =
        host_.run(argv({"get", "node", node, "-o", "jsonpath={.spec.unschedulable}"}), query_options());
    if (r.exit_code != 0) return std::nullopt;
    return trim(r.out) == "true";
  } catch (const kup::Error &) {  // kubectl missing or timed out: unknown, not fatal here
    return std::nullopt;
  }
}

std::vector<std::string> Kubectl::status_argv(const std::string &node) const {
  return argv({"get", "node", node, "-o", kNodeStatusJsonPath});
}

std::optional<NodeStatus> Kubectl::status(const std::string &node, std::string *why) const {
  kup::ExecResult r;
  try {
    r = host_.run(status_argv(node), query_options());
  } catch (const kup::Error &e) {
    *why = e.what();
    return std::nullopt;
  }
  if (r.exit_code != 0) {
    *why = last_line_of(r.err.empty() ? r.out : r.err);
    if (why->empty()) *why = "kubectl exited with " + std::to_string(r.exit_code);
    return std::nullopt;
  }
  const auto words = words_of(r.out);
  NodeStatus status;
  if (!words.empty()) status.kubelet_version = words[0];
  if (words.size() > 1) status.ready = words[1];
  return status;
}

}  // namespace kuphost_plugins::kubeadm
