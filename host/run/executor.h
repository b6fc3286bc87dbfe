// Runs a composition: plan (read-only), dry-run, or apply with the journal,
// verification and rollback.
//
// apply: each phase is apply -> verify; the journal records every
// transition. When a phase fails, the phases before it are rolled back in
// reverse order (the failing phase is expected to leave the node as it found
// it, as kubeadm does). Rollback stops at an applied phase that changes the
// node and has no rollback (kubeadm upgrade apply): what came before it is
// its prerequisite; the run is then "stopped" and the next apply resumes at
// the failed phase, as kubeadm's recovery by re-running does. After a crash or `kill -9`, the next apply resumes:
// applied phases are skipped, an interrupted one is applied again with
// KUP_CALL_RESUMED. Re-running a finished upgrade changes nothing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "abi/plugin_runtime.h"
#include "abi/run_env.h"
#include "compose/composer.h"
#include "support/failure.h"

namespace kuphost {

struct PhasePlan {
  const PlannedPhase *planned = nullptr;
  std::vector<std::string> steps;
  std::string error;    // the plan function failed
  bool powershell = false;  // steps are PowerShell lines (plan -o powershell)
};

struct PlanResult {
  std::vector<PhasePlan> phases;
  std::vector<LeftOutPhase> left_out;  // composition's plus NOT_APPLICABLE at plan time
  // What the plan functions put in the shared run state; the report reads
  // well-known keys from it (the kubeadm plugin's "plan/upgrade-table").
  std::map<std::string, std::string> shared_state;
  bool ok() const;
};

struct PhaseOutcome {
  std::string id, stage, state, outcome, summary, error;
};

struct ApplyResult {
  ExitCode exit = ExitCode::kOk;
  std::string run_id, target, message;
  std::vector<PhaseOutcome> phases;
  std::vector<std::string> would_change;  // dry-run
  bool nothing_to_do = false;
  std::string barrier;  // the phase rollback stopped at, if any
};

// "20250101T120000Z-1a2b": UTC start time plus a random suffix, so that two
// runs in the same second keep separate backup directories.
std::string new_run_id(Clock &clock);

class Executor {
 public:
  Executor(RunEnv &env, const Composition &composition, PluginRuntime &runtime);

  // Calls every phase's plan function with changes refused.
  // `powershell`: phases that can (KUP_PHASE_PLANS_POWERSHELL) write the
  // node's PowerShell instead of prose (`plan -o powershell`).
  PlanResult plan(bool powershell = false);
  // Dry-run when env.mode == kDryRun (no journal written), else a real run.
  ApplyResult apply(bool force);

 private:
  ApplyResult dry_run(bool force);
  JournalRun open_run(bool force, bool *resuming);
  bool run_phase(JournalRun &run, const PlannedPhase &pp, uint32_t flags, ApplyResult &result);
  enum class RollbackOutcome { kComplete, kStoppedAtBarrier, kFailed };
  RollbackOutcome rollback(JournalRun &run, ApplyResult &result);
  const PlannedPhase *find(const std::string &qualified_id) const;

  RunEnv &env_;
  const Composition &composition_;
  PluginRuntime &runtime_;
};

}  // namespace kuphost
