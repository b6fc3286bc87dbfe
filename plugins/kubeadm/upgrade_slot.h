//===- kubeadm/upgrade_slot.h - a Lease-based semaphore across nodes ------===//
//
// Several nodes may run kuphost at once (an Ansible loop, a DaemonSet, an
// operator with two terminals). Each holds an upgrade slot from drain to
// uncordon, so no more than `slots` workers — and never more than one
// control plane — are drained at the same time. A slot is a
// coordination.k8s.io/v1 Lease in kube-system, taken and renewed through
// kubectl with resourceVersion checks (the API server answers 409 to the
// loser of a race); a holder that stops renewing (crash, kill -9) loses the
// slot once leaseDurationSeconds have passed.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_UPGRADE_SLOT_H
#define KUPHOST_PLUGINS_KUBEADM_UPGRADE_SLOT_H

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "kubectl.h"

namespace kuphost_plugins::kubeadm {

inline constexpr const char *kSlotNamespace = "kube-system";
inline constexpr const char *kControlPlaneSlot = "kuphost-upgrade-control-plane";
inline constexpr const char *kWorkerSlotPrefix = "kuphost-upgrade-worker-";

struct SlotSettings {
  uint32_t worker_slots = 1;            // kubeadm.upgrade-slots
  uint64_t lease_ms = 60 * 1000;        // kubeadm.upgrade-slot-lease
  uint64_t wait_ms = 60 * 60 * 1000;    // kubeadm.upgrade-slot-wait
};

// What a Lease says, as far as the semaphore cares.
struct LeaseRecord {
  std::string resource_version;
  std::string holder;       // spec.holderIdentity; empty = free
  int64_t renew_unix_ms = 0;
  int64_t duration_s = 0;
  int64_t transitions = 0;
  bool expired_at(int64_t now_ms) const { return holder.empty() || now_ms > renew_unix_ms + duration_s * 1000; }
};

// The Lease names a node may take: one for control planes, `worker_slots`
// for workers.
std::vector<std::string> slot_names(bool control_plane, uint32_t worker_slots);

// "2026-11-26T20:18:31.123456Z" <-> unix milliseconds (Kubernetes MicroTime).
std::string micro_time(int64_t unix_ms);
std::optional<int64_t> parse_micro_time(std::string_view text);

class UpgradeSlot {
 public:
  // `host` and `kubectl` are copied; `identity` is the node name, so that a
  // re-run on the same node (after a crash) finds its own slot again.
  UpgradeSlot(const kup::Host &host, Kubectl kubectl, SlotSettings settings, std::string identity,
              bool control_plane);
  ~UpgradeSlot();  // stops renewing; the Lease then expires on its own
  UpgradeSlot(const UpgradeSlot &) = delete;
  UpgradeSlot &operator=(const UpgradeSlot &) = delete;

  // Takes a free or expired slot (or the one this node already holds) and
  // renews it in the background until release(). Waits up to wait_ms; throws
  // kup::Error(KUP_E_RETRY_LATER) naming the holders when none frees up.
  void acquire();
  // Frees the slot if this node still holds it. Never throws.
  void release() noexcept;
  // The Lease held, or empty.
  std::string held() const;
  // For plans: who holds which slot now, one line each.
  std::vector<std::string> describe_holders() const;

 private:
  std::optional<LeaseRecord> read(const std::string &name, bool *missing) const;
  bool try_take(const std::string &name, std::string *busy_with);
  // PUT (kubectl replace) with the record's resourceVersion; nullopt on a
  // conflict (someone else wrote first).
  std::optional<LeaseRecord> write(const std::string &name, const LeaseRecord &from, const std::string &holder,
                                   bool new_holder);
  bool create(const std::string &name);
  std::string manifest(const std::string &name, const std::string &resource_version, const std::string &holder,
                       int64_t now_ms, int64_t acquire_ms, int64_t transitions) const;
  void start_renewing();
  void stop_renewing();
  void renew_loop();

  kup::Host host_;
  Kubectl kubectl_;
  SlotSettings settings_;
  std::string identity_;
  bool control_plane_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string held_;
  LeaseRecord record_;  // as last written by this node
  int64_t acquired_unix_ms_ = 0;
  std::thread renewer_;
};

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_UPGRADE_SLOT_H
