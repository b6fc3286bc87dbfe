// drain (and its rollback) and the Ready wait: kubectl on the admin machine,
// with the kubeconfig the host gives (run.kubeconfig, else admin.conf).
// Like kubeadm/drain, the drain records whether the operator had cordoned
// the node, so that kubeadm/uncordon and the rollback lift only kuphost's.
#include <algorithm>

#include <kuphost/ext/upgrade_slot.h>

#include "support/exec_options.hpp"
#include "support/node_status_query.hpp"
#include "support/settings.hpp"
#include "support/text.hpp"
#include "windows_upgrade.h"

namespace kuphost_plugins::windows_node {
namespace {

// The well-known shared key kubeadm/drain and kubeadm/uncordon use.
constexpr std::string_view kCordonedBeforeKey = "node/cordoned-before";
constexpr uint32_t kMaxPollIntervalMs = 5 * 1000;

kup::ExecOptions change_options(uint64_t timeout_ms) {
  kup::ExecOptions opt;
  opt.stream = true;
  opt.check = false;
  opt.timeout_ms = static_cast<uint32_t>(std::min<uint64_t>(timeout_ms, UINT32_MAX));
  return opt;
}

}  // namespace

std::vector<std::string> WindowsUpgrade::kubectl_argv(std::vector<std::string> args) const {
  std::vector<std::string> argv{settings_.kubectl, "--kubeconfig", settings_.kubeconfig};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::optional<bool> WindowsUpgrade::cordoned(const std::string &node, bool must_know) const {
  const auto r = host_.run(kubectl_argv({"get", "node", node, "-o", "jsonpath={.spec.unschedulable}"}),
                           read_only_query(30 * 1000));
  if (r.exit_code == 0) return trim(r.out) == "true";
  if (must_know)
    throw kup::Error(KUP_E_COMMAND_FAILED, "cannot read node " + node + " with kubectl: " + last_line_of(r.err));
  return std::nullopt;
}

namespace {

// kubeadm's upgrade slots (kuphost.upgrade-slot/1): a Windows worker counts
// against kubeadm.upgrade-slots like any other; kubeadm/uncordon frees it.
const kup_upgrade_slot *upgrade_slots(const kup::Host &host) {
  const auto *table = host.extension<kup_upgrade_slot>(KUP_EXT_UPGRADE_SLOT_V1);
  if (!table || !kup::detail::has_field(table, &kup_upgrade_slot::release) || !table->acquire || !table->release)
    return nullptr;
  return table;
}

void release_slot(const kup::Host &host) {
  if (const auto *slots = upgrade_slots(host)) slots->release(slots);
}

}  // namespace

void WindowsUpgrade::take_upgrade_slot(const kup::Call &call) {
  const auto *slots = upgrade_slots(host_);
  if (!slots) {
    call.out("no plugin offers " KUP_EXT_UPGRADE_SLOT_V1 ": the drain does not wait for an upgrade slot");
    return;
  }
  if (call.dry_run()) {
    call.out("would take an upgrade slot (kubeadm.upgrade-slots) before draining");
    return;
  }
  kup::ErrorCapture error;
  const kup_status status = slots->acquire(slots, error.get());
  if (status != KUP_OK) error.raise(status, "cannot take an upgrade slot for " + settings_.node_name);
}

void WindowsUpgrade::apply_drain(const kup::Call &call) {
  const std::string &node = settings_.node_name;
  // Recorded once, before the drain: after a crash mid-drain the node is
  // cordoned by kuphost, which must not look like the operator's cordon.
  bool cordoned_before = false;
  if (const auto recorded = host_.shared_state_get(kCordonedBeforeKey)) {
    cordoned_before = *recorded == "true";
  } else {
    cordoned_before = *cordoned(node, true);
    host_.shared_state_set(kCordonedBeforeKey, cordoned_before ? "true" : "false");
  }
  const auto replace = remembered_list("replace");
  if (std::none_of(replace.begin(), replace.end(), [](const std::string &b) { return !service_of(b).empty(); }))
    return call.unchanged("kubelet.exe and kube-proxy.exe are already the target's: no drain needed");
  take_upgrade_slot(call);
  const std::vector<std::string> args{"drain", node, "--ignore-daemonsets", "--delete-emptydir-data",
                                      "--timeout=" + go_duration(settings_.drain_timeout_ms)};
  const auto r = host_.run(kubectl_argv(args), change_options(settings_.drain_timeout_ms + 60 * 1000));
  if (r.exit_code != 0) {
    release_slot(host_);
    // A failed phase is not rolled back: undo kuphost's own cordon here.
    std::string undo;
    if (!cordoned_before && cordoned(node, false) == true) {
      host_.run(kubectl_argv({"uncordon", node}), change_options(60 * 1000));
      undo = "; " + node + " was uncordoned again";
    }
    throw kup::Error(KUP_E_COMMAND_FAILED,
                     "drain of " + node + " failed: " + last_line_of(r.err.empty() ? r.out : r.err) + undo);
  }
  const std::string note = cordoned_before ? " (already cordoned by the operator; it stays so)" : "";
  call.changed((call.dry_run() ? "would drain " : "drained ") + node + note);
}

void WindowsUpgrade::rollback_drain(const kup::Call &call) {
  const std::string &node = settings_.node_name;
  const auto recorded = host_.shared_state_get(kCordonedBeforeKey);
  if (!recorded) return call.unchanged("the drain did not start");
  struct ReleaseSlot {
    const kup::Host &host;
    ~ReleaseSlot() { release_slot(host); }
  } release{host_};
  if (*recorded == "true") return call.unchanged(node + " was cordoned before kuphost: it stays cordoned");
  if (cordoned(node, true) == false) return call.unchanged(node + " is schedulable already");
  kup::ExecOptions opt = change_options(60 * 1000);
  opt.check = true;
  host_.run(kubectl_argv({"uncordon", node}), opt);
  call.changed("uncordoned " + node + ", which kuphost had cordoned");
}

void WindowsUpgrade::wait_until_ready(const kup::Call &call, const std::string &target) {
  const std::string &node = settings_.node_name;
  if (call.dry_run()) {
    call.out("would wait up to " + go_duration(settings_.ready_timeout_ms) + " for " + node +
             " to be Ready with kubelet " + target);
    return;
  }
  const uint32_t poll =
      static_cast<uint32_t>(std::clamp<uint64_t>(settings_.ready_timeout_ms / 10, 200, kMaxPollIntervalMs));
  const int64_t deadline = host_.monotonic_ms() + static_cast<int64_t>(settings_.ready_timeout_ms);
  // Also counted in polls, so that the wait ends with a clock that stands still.
  const uint64_t polls = settings_.ready_timeout_ms / poll + 1;
  std::string last = "no answer from kubectl";
  for (uint64_t i = 0; i < polls; ++i) {
    const auto r = host_.run(kubectl_argv({"get", "node", node, "-o", kNodeStatusJsonPath}), read_only_query(30 * 1000));
    const auto words = words_of(r.out);
    if (r.exit_code == 0 && words.size() >= 2 && words[0] == target && words[1] == "True") {
      call.out(node + " is Ready with kubelet " + target);
      return;
    }
    if (r.exit_code != 0) last = last_line_of(r.err);
    else last = "kubelet " + (words.empty() ? std::string("unknown") : words[0]) +
                ", Ready=" + (words.size() > 1 ? words[1] : std::string("unknown"));
    if (i + 1 >= polls || host_.monotonic_ms() >= deadline) break;
    host_.sleep_ms(poll);
  }
  throw kup::Error(KUP_E_TIMEOUT, node + " is not Ready with kubelet " + target + " after " +
                                      go_duration(settings_.ready_timeout_ms) + " (last seen: " + last +
                                      "); the rollback puts the previous binaries back");
}

}  // namespace kuphost_plugins::windows_node
