// The executor with the recorder fixture: order, rollback on failure, the
// journal, resume after kill -9 at every phase boundary, idempotent re-runs,
// dry-run and plan that change nothing.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "harness.h"
#include "report/powershell_plan.h"
#include "services/logging.h"

namespace kuphost {
namespace {
namespace fs = std::filesystem;
using test::Harness;
using Lines = std::vector<std::string>;

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override { logging::init(0, {}); }

  // A harness with the recorder plugin and extra config lines.
  std::unique_ptr<Harness> make(const std::string &extra_config = {}) {
    auto h = std::make_unique<Harness>();
    log_ = h->dir / "calls.log";
    h->set_config("recorder:\n  log: " + log_.string() + "\n" + extra_config);
    h->load_fixture("recorder.so");
    return h;
  }
  Lines calls() const { return test::read_lines(log_); }
  static Lines applied(int from, int to) {
    Lines out;
    for (int i = from; i <= to; ++i) {
      out.push_back("apply p" + std::to_string(i));
      out.push_back("verify p" + std::to_string(i));
    }
    return out;
  }

  fs::path log_;
};

TEST_F(ExecutorTest, RunsPhasesInStageOrderAndCompletesTheJournal) {
  auto h = make();
  h->compose(RunMode::kApply);
  const ApplyResult r = h->apply();
  EXPECT_EQ(r.exit, ExitCode::kOk) << r.message;
  EXPECT_EQ(calls(), applied(1, 5));
  const auto run = h->journal->load();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->state, RunState::kCompleted);
  EXPECT_EQ(run->target, "v1.31.2");
  ASSERT_EQ(run->phases.size(), 5u);
  for (const auto &p : run->phases) {
    EXPECT_EQ(p.state, PhaseState::kApplied) << p.id;
    EXPECT_EQ(p.attempts, 1) << p.id;
  }
}

TEST_F(ExecutorTest, FailureInPhaseKRollsBackPhasesBeforeItInReverse) {
  for (int k = 1; k <= 5; ++k) {
    SCOPED_TRACE("failure in p" + std::to_string(k));
    auto h = make("  fail-at: " + std::to_string(k) + "\n");
    h->compose(RunMode::kApply);
    const ApplyResult r = h->apply();
    EXPECT_EQ(r.exit, ExitCode::kFailed);
    EXPECT_NE(r.message.find("injected failure in p" + std::to_string(k)), std::string::npos) << r.message;
    Lines expected = applied(1, k - 1);
    expected.push_back("apply p" + std::to_string(k));
    for (int i = k - 1; i >= 1; --i) expected.push_back("rollback p" + std::to_string(i));
    EXPECT_EQ(calls(), expected);
    const auto run = h->journal->load();
    EXPECT_EQ(run->state, RunState::kRolledBack);
    EXPECT_EQ(run->phase("recorder/p" + std::to_string(k))->state, PhaseState::kFailed);
    for (int i = 1; i < k; ++i)
      EXPECT_EQ(run->phase("recorder/p" + std::to_string(i))->state, PhaseState::kRolledBack);
  }
}

TEST_F(ExecutorTest, FailedVerificationCountsAsFailure) {
  auto h = make("  fail-verify-at: 3\n");
  h->compose(RunMode::kApply);
  const ApplyResult r = h->apply();
  EXPECT_EQ(r.exit, ExitCode::kFailed);
  EXPECT_NE(r.message.find("verification failed: injected verify failure"), std::string::npos) << r.message;
  Lines expected = applied(1, 3);
  expected.push_back("rollback p2");
  expected.push_back("rollback p1");
  EXPECT_EQ(calls(), expected);
}

TEST_F(ExecutorTest, FailedRollbackIsReportedAndJournaled) {
  auto h = make("  fail-at: 3\n  fail-rollback-at: 2\n");
  h->compose(RunMode::kApply);
  const ApplyResult r = h->apply();
  EXPECT_EQ(r.exit, ExitCode::kRollbackIncomplete);
  Lines expected = applied(1, 2);
  expected.insert(expected.end(), {"apply p3", "rollback p2", "rollback p1"});
  EXPECT_EQ(calls(), expected);  // a failed rollback does not stop the others
  const auto run = h->journal->load();
  EXPECT_EQ(run->state, RunState::kRollbackFailed);
  EXPECT_EQ(run->phase("recorder/p2")->state, PhaseState::kRollbackFailed);
  EXPECT_EQ(run->phase("recorder/p1")->state, PhaseState::kRolledBack);
}

TEST_F(ExecutorTest, RollbackStopsAtAPhaseThatCannotBeUndoneAndTheNextApplyResumes) {
  // p1 p2 p3 oneway p4 p5; p4 fails. oneway has no rollback, so p3..p1 are
  // its prerequisites and stay applied (as kubeadm's package stays under an
  // upgraded control plane); the run stops and resumes at p4.
  auto h = make();
  h->set_config("recorder:\n  log: " + log_.string() + "\n  fail-at: 4\noneway:\n  log: " + log_.string() + "\n");
  h->load_fixture("oneway.so");
  h->compose(RunMode::kApply);
  const ApplyResult r = h->apply();
  EXPECT_EQ(r.exit, ExitCode::kFailed);
  EXPECT_EQ(r.barrier, "oneway/irreversible");
  EXPECT_NE(r.message.find("cannot be undone; fix the cause and run `kuphost apply` again"), std::string::npos)
      << r.message;
  Lines expected = applied(1, 3);
  expected.insert(expected.end(), {"apply oneway", "apply p4"});
  EXPECT_EQ(calls(), expected) << "nothing may be rolled back behind the barrier";
  EXPECT_EQ(h->journal->load()->state, RunState::kStopped);

  h->set_config("recorder:\n  log: " + log_.string() + "\noneway:\n  log: " + log_.string() + "\n");
  h->compose(RunMode::kApply, "");
  const ApplyResult resumed = h->apply();
  EXPECT_EQ(resumed.exit, ExitCode::kOk) << resumed.message;
  const Lines rest = applied(4, 5);
  expected.insert(expected.end(), rest.begin(), rest.end());
  EXPECT_EQ(calls(), expected);
  EXPECT_EQ(h->journal->load()->state, RunState::kCompleted);
}

TEST_F(ExecutorTest, RerunningAFinishedUpgradeChangesNothing) {
  auto h = make();
  h->compose(RunMode::kApply);
  ASSERT_EQ(h->apply().exit, ExitCode::kOk);
  const auto journal_before = test::read_file(h->journal->file());
  h->compose(RunMode::kApply);
  const ApplyResult again = h->apply();
  EXPECT_EQ(again.exit, ExitCode::kOk);
  EXPECT_TRUE(again.nothing_to_do);
  EXPECT_EQ(calls(), applied(1, 5));
  EXPECT_EQ(test::read_file(h->journal->file()), journal_before);
}

TEST_F(ExecutorTest, NewTargetAfterAFinishedRunStartsANewRunAndArchivesTheOld) {
  auto h = make();
  h->compose(RunMode::kApply, "v1.31.2");
  const auto first = h->apply();
  h->compose(RunMode::kApply, "v1.31.3");
  const auto second = h->apply();
  EXPECT_EQ(second.exit, ExitCode::kOk);
  EXPECT_NE(first.run_id, "");
  EXPECT_TRUE(fs::exists(h->root / "var/lib/kuphost/runs" / (first.run_id + ".yaml")));
  EXPECT_EQ(calls().size(), 20u);
}

TEST_F(ExecutorTest, UnfinishedRunRefusesAnotherTarget) {
  auto h = make("  stall-at: 99\n");
  h->compose(RunMode::kApply);
  JournalRun run;
  run.id = "r1";
  run.target = "v1.31.2";
  run.state = RunState::kRunning;
  run.phases.push_back({"recorder/p1", PhaseState::kApplied, 1, "changed", "", "", 0});
  h->journal->save(run);
  h->compose(RunMode::kApply, "v1.32.0");
  try {
    h->apply();
    FAIL() << "a second target was accepted over an unfinished run";
  } catch (const Failure &e) {
    EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("an upgrade to v1.31.2 is unfinished"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(calls().empty());
}

// Runs an apply in a child process that stalls at phase k (after phases
// 1..k-1 are journaled as applied), kills it with SIGKILL, then resumes in
// this process: every phase must end up applied exactly once.
TEST_F(ExecutorTest, KillNineAtEachPhaseBoundaryThenRerunCompletesEachPhaseOnce) {
  for (int k = 1; k <= 5; ++k) {
    SCOPED_TRACE("kill -9 before p" + std::to_string(k));
    auto h = make();
    const fs::path stall = h->dir / "stalled";
    h->set_config("recorder:\n  log: " + log_.string() + "\n  stall-at: " + std::to_string(k) +
                  "\n  stall-file: " + stall.string() + "\n");
    h->compose(RunMode::kApply);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      h->apply();
      ::_exit(0);  // not reached: the stall only ends with the kill
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!fs::exists(stall) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(fs::exists(stall)) << "the child never reached p" << k;
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    const auto interrupted = h->journal->load();
    ASSERT_TRUE(interrupted);
    EXPECT_EQ(interrupted->state, RunState::kRunning);
    EXPECT_EQ(interrupted->phase("recorder/p" + std::to_string(k))->state, PhaseState::kApplying);
    EXPECT_EQ(calls(), applied(1, k - 1));

    // Re-run without the stall, as an operator would after the crash.
    h->set_config("recorder:\n  log: " + log_.string() + "\n");
    h->compose(RunMode::kApply, "");
    const ApplyResult r = h->apply();
    EXPECT_EQ(r.exit, ExitCode::kOk) << r.message;
    Lines expected = applied(1, k - 1);
    expected.push_back("apply p" + std::to_string(k) + " resumed");
    expected.push_back("verify p" + std::to_string(k) + " resumed");
    const Lines rest = applied(k + 1, 5);
    expected.insert(expected.end(), rest.begin(), rest.end());
    EXPECT_EQ(calls(), expected);
    const auto done = h->journal->load();
    EXPECT_EQ(done->state, RunState::kCompleted);
    for (const auto &p : done->phases) EXPECT_EQ(p.state, PhaseState::kApplied) << p.id;
  }
}

TEST_F(ExecutorTest, DryRunChangesNothingUnderTheRoot) {
  auto h = make();
  test::write_file(h->root / "etc/os-release", "ID=ubuntu\n");
  const auto before = test::snapshot_tree(h->root);
  h->compose(RunMode::kDryRun);
  const ApplyResult r = h->apply();
  EXPECT_EQ(r.exit, ExitCode::kOk);
  EXPECT_EQ(test::diff_trees(before, test::snapshot_tree(h->root)), "");
  Lines expected;
  for (int i = 1; i <= 5; ++i) expected.push_back("apply p" + std::to_string(i) + " dry-run");
  EXPECT_EQ(calls(), expected);
}

TEST_F(ExecutorTest, PlanCallsOnlyPlanFunctions) {
  auto h = make();
  h->compose(RunMode::kPlan);
  const PlanResult plan = h->executor->plan();
  ASSERT_EQ(plan.phases.size(), 5u);
  EXPECT_EQ(plan.phases[2].steps, Lines{"would record p3"});
  EXPECT_TRUE(calls().empty());
  EXPECT_FALSE(fs::exists(h->root / "var/lib/kuphost"));
}

// Only the phase that declares KUP_PHASE_PLANS_POWERSHELL is asked for
// PowerShell; the others' prose becomes comments at their place.
TEST_F(ExecutorTest, PlanAsPowerShellAsksOnlyPhasesThatCanWriteIt) {
  auto h = make();
  h->compose(RunMode::kPlan);
  const PlanResult plan = h->executor->plan(/*powershell=*/true);
  ASSERT_EQ(plan.phases.size(), 5u);
  EXPECT_EQ(plan.phases[2].steps, Lines{"Write-Output 'would record p3'"});
  EXPECT_TRUE(plan.phases[2].powershell);
  EXPECT_EQ(plan.phases[1].steps, Lines{"would record p2"});
  EXPECT_FALSE(plan.phases[1].powershell);
  NodeFacts facts;
  facts.node_name = "win1";
  facts.os_pretty_name = "Windows Server 2022 Datacenter";
  facts.arch = "amd64";
  const std::string script = powershell_plan_text(facts, "v1.31.2", plan);
  EXPECT_NE(script.find("# kuphost plan -o powershell: Windows node win1 (Windows Server 2022 Datacenter, amd64), target v1.31.2\n"),
            std::string::npos) << script;
  EXPECT_NE(script.find("\n# [2] recorder/p2: Recorder phase 2 (not a node step)\n#   would record p2\n"), std::string::npos)
      << script;
  EXPECT_NE(script.find("\n# [3] recorder/p3: Recorder phase 3\nWrite-Output 'would record p3'\n"), std::string::npos)
      << script;
  EXPECT_TRUE(calls().empty());
}

}  // namespace
}  // namespace kuphost
