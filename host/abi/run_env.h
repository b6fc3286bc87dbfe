// Everything the host services need during one command: the node, the
// side-effect interfaces, the mode, and the journal that records the run.
#pragma once

#include <atomic>
#include <mutex>
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
  // The plugin command being run ("backup"); empty for plan and apply. Names
  // the log prefix and what a refused change was attempted during.
  std::string command;
  // Node path of a directory plugins may write in every mode, without
  // backups; set only while the host resolves a target version
  // (fact run.scratch-dir, run/target_version.h). Empty otherwise.
  std::string scratch_dir;
  bool in_scratch(const std::string &node_path) const {
    return !scratch_dir.empty() && node_path.size() > scratch_dir.size() &&
           node_path.compare(0, scratch_dir.size(), scratch_dir) == 0 && node_path[scratch_dir.size()] == '/' &&
           node_path.find("/..") == std::string::npos;
  }
  JournalRun *run = nullptr;         // plugin state and file backups of this run
  Journal *journal = nullptr;        // set only when changes are persisted (apply)
  std::atomic<int> stage{-1};        // of the running phase, for log prefixes
  std::vector<std::string> would_change;  // dry-run: what would have changed the node; see note_would_change
  uint32_t default_timeout_ms = 10 * 60 * 1000;
  std::atomic<uint64_t> commands{0}, command_ms{0};  // node commands run, and their wall time

  // Persists the run if this mode persists anything.
  void save_run() {
    if (journal && run && mode == RunMode::kApply) journal->save(*run);
  }
  std::string log_prefix() const;
  // Exec is an [any-thread] service, so its dry-run record is guarded.
  void note_would_change(std::string what) {
    std::lock_guard<std::mutex> lock(would_change_mu);
    would_change.push_back(std::move(what));
  }
  std::mutex would_change_mu;
};

}  // namespace kuphost
