#include "run/executor.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "abi/status_text.h"
#include "services/cancel.h"
#include "services/logging.h"
#include "support/strings.h"

namespace kuphost {
namespace {

void info(const std::string &line) { logging::write(KUP_LOG_INFO, line); }
void warn(const std::string &line) { logging::write(KUP_LOG_WARNING, line); }

std::string stage_prefix(const PlannedPhase &pp) {
  return std::string("[upgrade/") + stage_name(pp.phase->stage) + "]";
}

}  // namespace

std::string new_run_id(Clock &clock) {
  const time_t secs = static_cast<time_t>(clock.now_unix_ms() / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  std::random_device random;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", random() & 0xffff);
  return std::string(buf) + "-" + suffix;
}

bool PlanResult::ok() const {
  return std::all_of(phases.begin(), phases.end(), [](const PhasePlan &p) { return p.error.empty(); });
}

Executor::Executor(RunEnv &env, const Composition &composition, PluginRuntime &runtime)
    : env_(env), composition_(composition), runtime_(runtime) {}

const PlannedPhase *Executor::find(const std::string &id) const {
  for (const auto &pp : composition_.phases)
    if (pp.phase->qualified_id() == id) return &pp;
  return nullptr;
}

PlanResult Executor::plan(bool powershell) {
  PlanResult result;
  result.left_out = composition_.left_out;
  JournalRun scratch;  // plan records nothing
  scratch.id = "plan";
  env_.run = &scratch;
  for (const auto &pp : composition_.phases) {
    PhasePlan plan;
    plan.planned = &pp;
    if (pp.phase->plan) {
      plan.powershell = powershell && (pp.phase->flags & KUP_PHASE_PLANS_POWERSHELL) != 0;
      const PhaseCallResult r =
          runtime_.call(pp, pp.phase->plan, plan.powershell ? KUP_CALL_PLAN_POWERSHELL : 0u, /*echo=*/false);
      if (r.status == KUP_E_NOT_APPLICABLE) {
        result.left_out.push_back({pp.phase, r.message});
        continue;
      }
      plan.steps = r.lines;
      if (!r.ok()) plan.error = r.message;
    }
    result.phases.push_back(std::move(plan));
  }
  result.shared_state = scratch.shared_state;
  env_.run = nullptr;
  return result;
}

JournalRun Executor::open_run(bool force, bool *resuming) {
  *resuming = false;
  std::optional<JournalRun> existing = env_.journal->load();
  if (existing && !existing->finished()) {
    if (!env_.target.empty() && env_.target != existing->target)
      fail_input("an upgrade to " + existing->target + " is unfinished on this node (journal " +
                 env_.journal->file().string() + ", state " + to_string(existing->state) +
                 "); run `kuphost apply " + existing->target + "` to finish it first");
    env_.target = existing->target;
    *resuming = true;
    return *existing;
  }
  if (env_.target.empty())
    fail_input("apply needs a target version, e.g. `kuphost apply v1.31.2`");
  // --force on a finished upgrade is kubeadm's documented repair (`kubeadm
  // upgrade apply --force` at the running version): a new run, every phase.
  if (existing && existing->state == RunState::kCompleted && existing->target == env_.target && !force) {
    *resuming = true;  // phases applied by that run are skipped
    return *existing;
  }
  if (existing) env_.journal->archive(*existing);
  JournalRun run;
  run.id = new_run_id(env_.clock);
  run.target = env_.target;
  run.node = env_.facts.node_name;
  run.started_unix_ms = env_.clock.now_unix_ms();
  return run;
}

bool Executor::run_phase(JournalRun &run, const PlannedPhase &pp, uint32_t flags, ApplyResult &result) {
  JournalPhase &jp = *run.phase(pp.phase->qualified_id());
  const std::string prefix = stage_prefix(pp);
  if (jp.state == PhaseState::kApplying) flags |= KUP_CALL_RESUMED;
  info(prefix + " " + pp.phase->title + " (" + pp.phase->qualified_id() + ")" +
       ((flags & KUP_CALL_RESUMED) ? ": resuming after an interrupted run" : ""));
  jp.state = PhaseState::kApplying;
  ++jp.attempts;
  jp.updated_unix_ms = env_.clock.now_unix_ms();
  env_.save_run();

  PhaseCallResult r = runtime_.call(pp, pp.phase->apply, flags, /*echo=*/true);
  if (r.ok() && pp.phase->verify) {
    PhaseCallResult v = runtime_.call(pp, pp.phase->verify, flags, /*echo=*/true);
    if (!v.ok()) {
      v.message = "verification failed: " + v.message;
      r.status = v.status;
      r.message = v.message;
      r.details = v.details;
    }
  }
  PhaseOutcome out{jp.id, stage_name(pp.phase->stage), "", "", r.summary, ""};
  jp.updated_unix_ms = env_.clock.now_unix_ms();
  if (!r.ok()) {
    if (r.status == KUP_E_CANCELLED || cancel_requested()) {
      // Leave the phase "applying": the next apply resumes it.
      out.state = "interrupted";
      out.error = r.message;
      result.phases.push_back(out);
      return false;
    }
    jp.state = PhaseState::kFailed;
    jp.error = r.message;
    env_.save_run();
    logging::write(KUP_LOG_ERROR, prefix + " " + pp.phase->qualified_id() + " failed: " + r.message);
    if (!r.details.empty())
      for (const auto &line : split(r.details, '\n')) logging::write(KUP_LOG_DEBUG, "    " + line);
    out.state = "failed";
    out.error = r.message;
    result.phases.push_back(out);
    return false;
  }
  jp.state = PhaseState::kApplied;
  jp.outcome = r.outcome == KUP_OUTCOME_UNCHANGED ? "unchanged" : "changed";
  jp.summary = r.summary;
  jp.error.clear();
  env_.save_run();
  out.state = "applied";
  out.outcome = jp.outcome;
  result.phases.push_back(out);
  return true;
}

Executor::RollbackOutcome Executor::rollback(JournalRun &run, ApplyResult &result) {
  run.state = RunState::kRollingBack;
  env_.save_run();
  RollbackOutcome outcome = RollbackOutcome::kComplete;
  for (auto it = run.phases.rbegin(); it != run.phases.rend(); ++it) {
    JournalPhase &jp = *it;
    if (jp.state != PhaseState::kApplied && jp.state != PhaseState::kRollingBack) continue;
    const PlannedPhase *pp = find(jp.id);
    if (!pp) {
      warn("[upgrade/rollback] " + jp.id + " is no longer part of the run; roll it back by hand");
      outcome = RollbackOutcome::kFailed;
      continue;
    }
    if (!pp->phase->rollback) {
      if (pp->phase->flags & KUP_PHASE_READ_ONLY) continue;  // nothing to undo
      // A change that cannot be undone is a barrier: the phases before it are
      // its prerequisites (kubeadm's package under an upgraded control plane)
      // and must stay. The run stops here and resumes with the next apply.
      warn("[upgrade/rollback] " + jp.id + " cannot be rolled back; the phases before it stay applied");
      outcome = RollbackOutcome::kStoppedAtBarrier;
      result.barrier = jp.id;
      break;
    }
    info("[upgrade/rollback] Rolling back " + jp.id);
    jp.state = PhaseState::kRollingBack;
    env_.save_run();
    const PhaseCallResult r = runtime_.call(*pp, pp->phase->rollback, 0, /*echo=*/true);
    jp.state = r.ok() ? PhaseState::kRolledBack : PhaseState::kRollbackFailed;
    jp.updated_unix_ms = env_.clock.now_unix_ms();
    if (!r.ok()) {
      jp.error = "rollback failed: " + r.message;
      logging::write(KUP_LOG_ERROR, "[upgrade/rollback] " + jp.id + ": " + jp.error);
      outcome = RollbackOutcome::kFailed;
    }
    env_.save_run();
    result.phases.push_back({jp.id, stage_name(pp->phase->stage), to_string(jp.state), "", "", jp.error});
  }
  run.state = outcome == RollbackOutcome::kComplete   ? RunState::kRolledBack
              : outcome == RollbackOutcome::kFailed ? RunState::kRollbackFailed
                                                      : RunState::kStopped;
  run.finished_unix_ms = env_.clock.now_unix_ms();
  env_.save_run();
  return outcome;
}

ApplyResult Executor::dry_run(bool force) {
  ApplyResult result;
  result.target = env_.target;
  JournalRun scratch;
  scratch.id = "dry-run";
  scratch.target = env_.target;
  env_.run = &scratch;
  const uint32_t flags = KUP_CALL_DRY_RUN | (force ? KUP_CALL_FORCE : 0u);
  for (const auto &pp : composition_.phases) {
    info(stage_prefix(pp) + " " + pp.phase->title + " (" + pp.phase->qualified_id() + ")");
    const PhaseCallResult r = runtime_.call(pp, pp.phase->apply, flags, /*echo=*/true);
    PhaseOutcome out{pp.phase->qualified_id(), stage_name(pp.phase->stage), r.ok() ? "would-apply" : "failed",
                     "", r.summary, r.message};
    result.phases.push_back(out);
    if (!r.ok()) {
      logging::write(KUP_LOG_ERROR, stage_prefix(pp) + " " + pp.phase->qualified_id() + " failed: " + r.message);
      result.exit = ExitCode::kFailed;
      result.message = pp.phase->qualified_id() + " failed in dry-run: " + r.message;
      break;
    }
  }
  env_.run = nullptr;
  result.would_change = env_.would_change;
  return result;
}

namespace {

// Splits a run's wall time into the node commands the phases ran and
// kuphost's own work (loading, journal fsyncs, waits between polls count as
// kuphost's), so slow upgrades show where the time went.
class RunTimer {
 public:
  explicit RunTimer(const RunEnv &env)
      : env_(env), start_(std::chrono::steady_clock::now()), command_ms_(env.command_ms), commands_(env.commands) {}
  ~RunTimer() {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double in_commands = static_cast<double>(env_.command_ms - command_ms_) / 1000.0;
    char line[200];
    std::snprintf(line, sizeof line, "[upgrade/timing] %.1fs in all: %.1fs in %llu node commands, %.1fs kuphost",
                  wall, in_commands, static_cast<unsigned long long>(env_.commands - commands_),
                  std::max(wall - in_commands, 0.0));
    logging::write(KUP_LOG_INFO, line);
  }

 private:
  const RunEnv &env_;
  std::chrono::steady_clock::time_point start_;
  uint64_t command_ms_, commands_;
};

}  // namespace

ApplyResult Executor::apply(bool force) {
  if (env_.mode == RunMode::kDryRun) return dry_run(force);
  const RunTimer timer(env_);
  bool resuming = false;
  JournalRun run = open_run(force, &resuming);
  env_.run = &run;
  ApplyResult result;
  result.run_id = run.id;
  result.target = run.target;

  if (run.state == RunState::kRollingBack) {
    info("[upgrade/rollback] Continuing the rollback interrupted in run " + run.id);
    const RollbackOutcome outcome = rollback(run, result);
    env_.run = nullptr;
    result.exit = outcome == RollbackOutcome::kFailed ? ExitCode::kRollbackIncomplete : ExitCode::kFailed;
    result.message = outcome == RollbackOutcome::kFailed
                         ? "rollback of run " + run.id + " is incomplete; see the journal"
                         : "the interrupted rollback of run " + run.id + " finished";
    return result;
  }
  // Every phase that already ran must still be part of the composition.
  for (const auto &jp : run.phases)
    if (jp.state != PhaseState::kPending && !find(jp.id))
      fail_input("the run in " + env_.journal->file().string() + " includes phase " + jp.id +
                 ", which is not selected now; add its plugin to --plugins to resume");
  for (const auto &pp : composition_.phases)
    if (!run.phase(pp.phase->qualified_id()))
      run.phases.push_back({pp.phase->qualified_id(), PhaseState::kPending, 0, "", "", "", 0});
  // Keep the journal in execution order.
  std::stable_sort(run.phases.begin(), run.phases.end(), [&](const JournalPhase &a, const JournalPhase &b) {
    auto index = [&](const std::string &id) {
      for (size_t i = 0; i < composition_.phases.size(); ++i)
        if (composition_.phases[i].phase->qualified_id() == id) return i;
      return composition_.phases.size();
    };
    return index(a.id) < index(b.id);
  });
  run.plugins.clear();
  for (const auto *p : composition_.plugins) run.plugins.push_back(p->id);
  const bool already_done = run.state == RunState::kCompleted &&
                            std::all_of(run.phases.begin(), run.phases.end(), [](const JournalPhase &p) {
                              return p.state == PhaseState::kApplied;
                            });
  if (already_done) {
    info("[upgrade] This node's upgrade to " + run.target + " already completed (run " + run.id +
         "); nothing to change");
    result.nothing_to_do = true;
    env_.run = nullptr;
    return result;
  }
  run.state = RunState::kRunning;
  env_.save_run();
  if (resuming) info("[upgrade] Resuming run " + run.id + " (target " + run.target + ")");

  const uint32_t flags = force ? KUP_CALL_FORCE : 0u;
  for (const auto &pp : composition_.phases) {
    JournalPhase &jp = *run.phase(pp.phase->qualified_id());
    if (jp.state == PhaseState::kApplied) {
      info(stage_prefix(pp) + " " + pp.phase->qualified_id() + " already applied in this run; skipping");
      result.phases.push_back({jp.id, stage_name(pp.phase->stage), "skipped", jp.outcome, jp.summary, ""});
      continue;
    }
    if (cancel_requested() || !run_phase(run, pp, flags, result)) {
      if (cancel_requested() || result.phases.back().state == "interrupted") {
        result.exit = ExitCode::kInterrupted;
        result.message = "interrupted during " + jp.id + "; run `kuphost apply` again to resume";
        env_.run = nullptr;
        return result;
      }
      const std::string failed = jp.id + ": " + jp.error;
      switch (rollback(run, result)) {
        case RollbackOutcome::kComplete:
          result.exit = ExitCode::kFailed;
          result.message = failed + "; the completed phases were rolled back";
          break;
        case RollbackOutcome::kStoppedAtBarrier:
          result.exit = ExitCode::kFailed;
          result.message = failed + "; rolled back to " + result.barrier +
                           ", which cannot be undone; fix the cause and run `kuphost apply` again to resume";
          break;
        case RollbackOutcome::kFailed:
          result.exit = ExitCode::kRollbackIncomplete;
          result.message = failed + "; rollback is incomplete, the node needs attention (journal " +
                           env_.journal->file().string() + ")";
          break;
      }
      env_.run = nullptr;
      return result;
    }
  }
  run.state = RunState::kCompleted;
  run.finished_unix_ms = env_.clock.now_unix_ms();
  env_.save_run();
  env_.run = nullptr;
  return result;
}

}  // namespace kuphost
