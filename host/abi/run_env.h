// Everything the host services need during one command: the node, the
// side-effect interfaces, the mode, and the journal that records the run.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "compose/composer.h"
#include "facts/node_facts.h"
#include "run/journal.h"
#include "services/clock.h"
#include "services/command_runner.h"
#include "services/config.h"
#include "services/file_system.h"

namespace kuphost {

enum class RunMode {
  kPlan,    // read-only: changes requested by plugins are refused
  kDryRun,  // reads run; changes are printed, not made
  kApply,   // changes are made and journaled
};

struct RunEnv {
  RunEnv(NodeRoot root, FileSystem &fs, CommandRunner &runner, Clock &clock, const NodeFacts &facts,
         const HostConfig &config)
      : root(std::move(root)), fs(fs), runner(runner), clock(clock), facts(facts), config(config) {}

  NodeRoot root;
  FileSystem &fs;
  CommandRunner &runner;
  Clock &clock;
  const NodeFacts &facts;
  const HostConfig &config;
  const Composition *composition = nullptr;

  RunMode mode = RunMode::kPlan;
  std::string target;                // "v1.31.2"; empty for a plan without a version
  JournalRun *run = nullptr;         // plugin state and file backups of this run
  Journal *journal = nullptr;        // set only when changes are persisted (apply)
  std::atomic<int> stage{-1};        // of the running phase, for log prefixes
  std::vector<std::string> would_change;  // dry-run: what would have changed the node
  uint32_t default_timeout_ms = 10 * 60 * 1000;

  // Persists the run if this mode persists anything.
  void save_run() {
    if (journal && run && mode == RunMode::kApply) journal->save(*run);
  }
  std::string log_prefix() const;
};

}  // namespace kuphost
