// kubelet-restart and verify: the new kubelet takes over, and the node must
// come back Ready with the kubelet version the upgrade promised.
#include <algorithm>

#include "kubeadm_plugin.h"
#include "support/settings.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

constexpr uint32_t kMaxPollIntervalMs = 5 * 1000;
// systemd reports "activating" for a moment after a restart.
constexpr uint32_t kKubeletActiveWaitMs = 60 * 1000;

const std::vector<std::string> kDaemonReload{"systemctl", "daemon-reload"};
const std::vector<std::string> kRestartKubelet{"systemctl", "restart", "kubelet"};
const std::vector<std::string> kIsActive{"systemctl", "is-active", "kubelet"};

std::string status_text(const NodeStatus &s) {
  return "kubelet " + (s.kubelet_version.empty() ? std::string("unknown") : s.kubelet_version) +
         ", Ready=" + (s.ready.empty() ? std::string("unknown") : s.ready);
}

}  // namespace

void KubeadmPlugin::plan_kubelet_restart(const kup::Call &call) {
  const auto target = KubeVersion::parse(call.target_version());
  std::string why;
  const auto status = kubectl().status(node_name(), &why);
  if (target && status && status->kubelet_version == target->str()) {
    call.out("kubelet already runs " + target->str() + ": no restart");
    return;
  }
  call.out(command_line(kDaemonReload));
  call.out(command_line(kRestartKubelet));
  call.out("check: " + command_line(kIsActive) + " prints active");
  call.out("wait up to " + go_duration(settings_.node_ready_timeout_ms) + " for " + node_name() +
           " to be Ready with kubelet " +
           (target ? target->str() : std::string("the target version")) + " before it is uncordoned");
}

void KubeadmPlugin::apply_kubelet_restart(const kup::Call &call) {
  hold_slot_if_drained(call);
  const KubeVersion target = require_target(call);
  // The running kubelet reports its own version; if that is the target
  // already, a restart would change nothing. When kubectl cannot tell, the
  // restart is the safe side.
  std::string why;
  const auto status = kubectl().status(node_name(), &why);
  if (status && status->kubelet_version == target.str()) {
    call.unchanged("kubelet already runs " + target.str());
    return;
  }
  restart_kubelet(call);
  changed(call, "kubelet restarted", "would restart the kubelet");
}

void KubeadmPlugin::restart_kubelet(const kup::Call &call) {
  kup::ExecOptions opt;
  opt.timeout_ms = 2 * 60 * 1000;
  host_.run(kDaemonReload, opt);
  host_.run(kRestartKubelet, opt);
  if (!call.dry_run()) call.out("kubelet restarted");
}

void KubeadmPlugin::verify_kubelet_restart(const kup::Call &call) {
  kup::ExecOptions opt;
  opt.read_only = true;
  opt.check = false;  // is-active exits non-zero for every state but active
  opt.timeout_ms = 30 * 1000;
  std::string state;
  const uint32_t poll = poll_interval_ms();
  for (uint32_t waited = 0;; waited += poll) {
    state = std::string(trim(host_.run(kIsActive, opt).out));
    if (state == "active") break;
    if (waited >= kKubeletActiveWaitMs)
      throw kup::Error(KUP_E_COMMAND_FAILED, "the kubelet is " +
                                                 (state.empty() ? std::string("in an unknown state") : state) +
                                                 " after the restart; see `journalctl -u kubelet`");
    host_.sleep_ms(poll);
  }
  call.out("kubelet is active");
  // Uncordoning a node whose new kubelet never comes up would send
  // workloads to a broken node; the failed phase rolls the packages back.
  wait_until_ready(call, require_target(call));
}

uint32_t KubeadmPlugin::poll_interval_ms() const {
  return static_cast<uint32_t>(std::clamp<uint64_t>(settings_.node_ready_timeout_ms / 10, 200, kMaxPollIntervalMs));
}

void KubeadmPlugin::wait_until_ready(const kup::Call &call, const KubeVersion &target) {
  const std::string node = node_name();
  const Kubectl k = kubectl();
  // Counted in polls rather than clock time, so the wait ends even with a
  // host clock that does not advance.
  const uint32_t poll = poll_interval_ms();
  const uint64_t polls = settings_.node_ready_timeout_ms / poll + 1;
  std::string last = "no answer from kubectl";
  for (uint64_t i = 0; i < polls; ++i) {
    std::string why;
    const auto status = k.status(node, &why);
    if (status && status->ready == "True" && status->kubelet_version == target.str()) {
      call.out(node + " is Ready with kubelet " + target.str());
      return;
    }
    last = status ? status_text(*status) : why;
    if (call.dry_run()) {
      // Nothing was upgraded in a dry run, so waiting would only time out.
      call.out("would wait up to " + go_duration(settings_.node_ready_timeout_ms) + " for " + node +
               " to be Ready with kubelet " + target.str() + " (now: " + last + ")");
      return;
    }
    if (i + 1 < polls) host_.sleep_ms(poll);
  }
  throw kup::Error(KUP_E_TIMEOUT, node + " is not Ready with kubelet " + target.str() + " after " +
                                      go_duration(settings_.node_ready_timeout_ms) + " (last seen: " + last +
                                      "); check `kubectl describe node " + node +
                                      "` and `journalctl -u kubelet` on it");
}

void KubeadmPlugin::plan_verify(const kup::Call &call) {
  const std::string node = node_name();
  const std::string target(call.target_version().empty() ? "the target version" : call.target_version());
  call.out(command_line(kubectl().status_argv(node)));
  call.out("wait up to " + go_duration(settings_.node_ready_timeout_ms) + " for " + node +
           " to be Ready with kubelet " + target);
}

void KubeadmPlugin::apply_verify(const kup::Call &call) {
  const KubeVersion target = require_target(call);
  wait_until_ready(call, target);
  if (call.dry_run()) call.unchanged("dry run: readiness not awaited");
  else call.unchanged(node_name() + " is Ready with kubelet " + target.str());
}

}  // namespace kuphost_plugins::kubeadm
