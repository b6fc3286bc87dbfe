// plan and apply.
#include <unistd.h>

#include <iostream>

#include "abi/plugin_runtime.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "report/plan_report.h"
#include "report/powershell_plan.h"
#include "run/executor.h"
#include "run/run_lock.h"
#include "run/target_version.h"
#include "services/logging.h"

namespace kuphost {
namespace {

// Validates the version argument before anything else is touched; nullopt
// when none was given.
std::optional<TargetSpec> target_from_args(const Options &o, const char *command) {
  if (o.args.size() > 1) fail_input(std::string(command) + " takes at most one VERSION argument");
  if (o.args.empty()) return std::nullopt;
  std::string error;
  auto spec = parse_target_spec(o.args[0], &error);
  if (!spec) fail_input(error);
  return spec;
}

// The exact version of the run: as given, or resolved from what the node's
// package manager offers once the plugins are initialized.
std::string exact_target(const std::optional<TargetSpec> &spec, RunEnv &env, PluginRuntime &runtime) {
  return spec ? resolve_target_for_run(*spec, env, runtime) : std::string();
}

bool confirm(const Session &s, const std::string &target) {
  if (s.options.yes) return true;
  if (!::isatty(STDIN_FILENO))
    fail_input("refusing to change node " + s.facts.node_name +
               " without confirmation: pass -y, or --dry-run to see what would change");
  std::cerr << composition_text(s.composition, s.facts) << "\n[upgrade] Upgrade node "
            << s.facts.node_name << " to " << (target.empty() ? "the journal's target" : target)
            << "? [y/N]: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

// -o powershell: a script for a Windows node, from phases that can write one.
void require_powershell_phases(const Session &s) {
  if (s.facts.family != "windows")
    fail_input("-o powershell prints the script to run on a Windows node; node " + s.facts.node_name + " is " +
               s.facts.family + " family: use -o text, json or yaml");
  for (const auto &pp : s.composition.phases)
    if (pp.phase->flags & KUP_PHASE_PLANS_POWERSHELL) return;
  fail_input("no selected plugin writes PowerShell for node " + s.facts.node_name +
             ": add windows-node to --plugins (or install it)");
}

}  // namespace

ExitCode run_plan(const Options &o) {
  const auto spec = target_from_args(o, "plan");
  Session s(o);
  s.prepare_node();
  const bool powershell = o.output == OutputFormat::kPowerShell;
  s.compose_only();
  if (powershell) require_powershell_phases(s);
  s.start_node_services();
  RunEnv env(*s.root, s.fs, *s.runner, s.clock, s.facts, s.config);
  env.composition = &s.composition;
  env.mode = RunMode::kPlan;
  PluginRuntime runtime(env);
  runtime.init_all(s.composition);
  const std::string target = exact_target(spec, env, runtime);
  env.target = target;
  Executor executor(env, s.composition, runtime);
  const PlanResult plan = executor.plan(powershell);
  if (powershell) std::cout << powershell_plan_text(s.facts, target, plan) << std::flush;
  else print_output(o, plan_text(s.facts, target, plan), plan_value(s.facts, target, plan));
  return plan.ok() ? ExitCode::kOk : ExitCode::kFailed;
}

ExitCode run_apply(const Options &o) {
  const auto spec = target_from_args(o, "apply");
  if (!o.dry_run && !o.yes && !::isatty(STDIN_FILENO))
    fail_input("refusing to change the node without confirmation: pass -y, or --dry-run to see what "
               "would change");
  Session s(o);
  s.prepare_node();
  s.compose_run();
  RunEnv env(*s.root, s.fs, *s.runner, s.clock, s.facts, s.config);
  env.composition = &s.composition;
  env.mode = o.dry_run ? RunMode::kDryRun : RunMode::kApply;
  if (o.dry_run && !spec)
    fail_input("apply --dry-run needs a target version, e.g. `kuphost apply --dry-run v1.31.2`");
  // Plugins are initialized before the confirmation so that it can name the
  // resolved version; init and the resolution change nothing on the node.
  PluginRuntime runtime(env);
  runtime.init_all(s.composition);
  const std::string target = exact_target(spec, env, runtime);
  env.target = target;
  std::unique_ptr<RunLock> lock;
  std::unique_ptr<Journal> journal;
  if (!o.dry_run) {
    if (!confirm(s, target)) {
      std::cerr << "[upgrade] Aborted; nothing changed.\n";
      return ExitCode::kInvalidInput;
    }
    const auto state_dir = *s.root->map("/var/lib/kuphost");
    lock = std::make_unique<RunLock>(state_dir);
    journal = std::make_unique<Journal>(s.fs, state_dir);
    env.journal = journal.get();
  }
  Executor executor(env, s.composition, runtime);
  const ApplyResult result = executor.apply(o.force);
  print_output(o, apply_text(result, s.facts, o.dry_run), apply_value(result, s.facts, o.dry_run));
  return result.exit;
}

}  // namespace kuphost
