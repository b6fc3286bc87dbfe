//===- cni-calico/calico_rollout.h - has Calico settled after an apply?
//
// calico-node is rolled out as `kubectl rollout status` defines it for a
// DaemonSet: observedGeneration >= generation, updatedNumberScheduled ==
// desiredNumberScheduled and numberAvailable == desiredNumberScheduled. For
// operator installs TigeraStatus calico must also be Available=True and the
// Installation must report the expected Calico version (the operator only
// then has rewritten the DaemonSet). kuphost polls `kubectl get` with the
// host clock: no watch (`kubectl wait`, `rollout status`) is needed.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_ROLLOUT_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_ROLLOUT_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "calico_install.h"

namespace kuphost_plugins::cni_calico {

// What a poll found: one line per object that has not converged.
struct Convergence {
  std::vector<std::string> pending;
  bool done() const { return pending.empty(); }
};

// From kubectl's JSON answers (nullopt: the object does not exist).
// `version`: the Calico version the operator must report; empty = any.
Convergence evaluate_rollout(const CalicoInstall &install, const std::string &version,
                             const std::optional<std::string> &daemonset_json,
                             const std::optional<std::string> &tigerastatus_json,
                             const std::optional<std::string> &installation_json);

// One poll through kubectl.
Convergence poll_rollout(const kup::Host &host, const CalicoInstall &install, const std::string &version);

// "10m", "90s", "1500ms": as the operator writes rollout-timeout.
std::string duration_text(uint64_t ms);

inline constexpr uint32_t kPollIntervalMs = 2000;

// Polls until converged; throws kup::Error KUP_E_TIMEOUT "Calico did not
// converge within 10m: <what is pending>" after `timeout_ms`.
void wait_for_rollout(const kup::Host &host, const CalicoInstall &install, const std::string &version,
                      uint64_t timeout_ms, const std::function<void(const std::string &)> &progress);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_ROLLOUT_H
