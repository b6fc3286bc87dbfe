#include "cli/plugin_commands.h"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "abi/plugin_runtime.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "loader/plugin_catalog.h"
#include "run/executor.h"
#include "run/journal.h"
#include "run/run_lock.h"
#include "services/logging.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {

bool is_builtin_command(std::string_view word) {
  return std::find(kBuiltinCommands.begin(), kBuiltinCommands.end(), word) != kBuiltinCommands.end();
}

const CommandInfo &find_plugin_command(const std::vector<const LoadedPlugin *> &available,
                                       const std::string &name) {
  std::vector<const CommandInfo *> found;
  std::vector<std::string> all;
  for (const LoadedPlugin *p : available)
    for (const auto &c : p->commands) {
      if (c.name == name) found.push_back(&c);
      if (!is_builtin_command(c.name)) all.push_back(c.name);
    }
  if (found.empty()) {
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    fail_input("unknown command '" + name +
               "': it is not built in and no available plugin declares it (plugin commands: " +
               (all.empty() ? std::string("none") : join(all, ", ")) + "); try `kuphost --help`");
  }
  if (found.size() > 1) {
    std::vector<std::string> owners, choices;
    for (const CommandInfo *c : found) {
      owners.push_back(c->plugin);
      choices.push_back("--plugins " + c->plugin);
    }
    fail_plugin("command '" + name + "' is declared by plugins " + join(owners, " and ") +
                "; choose one with " + join(choices, " or "));
  }
  return *found.front();
}

namespace {

std::string pad(const std::string &s, size_t width) {
  return s.size() + 2 > width ? s + "\n" + std::string(width, ' ') : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string command_lines(const LoadedPlugin &plugin, const std::string &indent) {
  std::string text;
  for (const auto &c : plugin.commands) {
    std::string notes = "plugin " + plugin.id;
    if (c.read_only()) notes += ", read-only";
    for (const auto &w : c.read_only_words) notes += ", " + c.name + " " + w + " read-only";
    if (is_builtin_command(c.name)) notes += ", shadowed by the built-in command";
    text += indent + pad(c.usage, 30 - std::min<size_t>(indent.size(), 28)) + c.summary +
            (c.summary.empty() ? "" : " ") + "[" + notes + "]\n";
  }
  return text;
}

Value command_values(const LoadedPlugin &plugin) {
  Value::List list;
  for (const auto &c : plugin.commands)
    list.emplace_back(Value::Map{{"name", c.name}, {"usage", c.usage}, {"summary", c.summary},
                                 {"readOnly", c.read_only()}});
  return Value(std::move(list));
}

std::string plugin_commands_help(const Options &options) {
  PluginCatalog catalog(default_plugin_dirs(options.plugin_dirs), options.allow_insecure_plugin_dir);
  std::string lines;
  try {
    catalog.scan();
  } catch (const Failure &) {
    // A broken search path is reported by the commands that need plugins.
  }
  for (const auto &candidate : catalog.candidates()) {
    try {
      lines += command_lines(catalog.load_file(candidate.path), "  ");
    } catch (const Failure &) {
    }
  }
  return "Plugin commands (an unknown COMMAND is looked up among the commands of the available plugins):\n" +
         (lines.empty() ? std::string("  none installed\n") : lines);
}

namespace {

// Only the command's plugin runs, plus the providers of the extensions its
// phases require (so that it can use kuphost.package-manager/1, say). No
// phases: a command is not an upgrade run, and run.phases stays empty.
Composition command_composition(const LoadedPlugin &owner, const Session &s) {
  std::vector<const LoadedPlugin *> plugins{&owner};
  for (const auto &phase : owner.phases) {
    if (phase.requires_extension.empty()) continue;
    for (const LoadedPlugin *p : s.selected)
      if (p->provides_extension(phase.requires_extension) &&
          std::find(plugins.begin(), plugins.end(), p) == plugins.end())
        plugins.push_back(p);
  }
  Composition c = compose(plugins, s.facts, {});
  c.phases.clear();
  c.left_out.clear();
  return c;
}

// A changing command may run between the steps of an interrupted upgrade
// (a restore may be exactly what is needed); say so rather than refuse.
void warn_if_upgrade_unfinished(FileSystem &fs, const std::filesystem::path &state_dir) {
  try {
    Journal journal(fs, state_dir);
    if (auto run = journal.load(); run && !run->finished())
      logging::write(KUP_LOG_WARNING, "[plugins] the upgrade to " + run->target + " (run " + run->id + ") is " +
                                          to_string(run->state) + " on this node; `kuphost apply` resumes it");
  } catch (const Failure &) {
    // An unreadable journal is apply's to report.
  }
}

ExitCode exit_code_for(kup_status status) {
  switch (status) {
    case KUP_E_INVALID_ARGUMENT:
    case KUP_E_INVALID_CONFIG: return ExitCode::kInvalidInput;
    case KUP_E_CANCELLED: return ExitCode::kInterrupted;
    default: return ExitCode::kFailed;
  }
}

}  // namespace

ExitCode run_plugin_command(const Options &o) {
  Session s(o);
  s.resolve_node();
  s.load_plugins();
  const CommandInfo &command = find_plugin_command(s.selected, o.command);
  const LoadedPlugin *owner = nullptr;
  for (const LoadedPlugin *p : s.selected)
    if (p->id == command.plugin) owner = p;
  s.gather_node_facts();
  const Composition composition = command_composition(*owner, s);

  RunEnv env(*s.root, s.fs, *s.runner, s.clock, s.facts, s.config);
  env.composition = &composition;
  env.command = command.name;
  env.mode = command.read_only_for(o.args) ? RunMode::kPlan : o.dry_run ? RunMode::kDryRun : RunMode::kApply;
  // Like apply: one kuphost at a time changes a node, and the record of what
  // the command replaced lives next to the upgrades' archived journals.
  JournalRun run;
  run.id = env.mode == RunMode::kPlan ? "read-only" : env.mode == RunMode::kDryRun ? "dry-run" : "";
  std::unique_ptr<RunLock> lock;
  std::unique_ptr<Journal> record;
  if (env.mode == RunMode::kApply) {
    const auto state_dir = *s.root->map("/var/lib/kuphost");
    lock = std::make_unique<RunLock>(state_dir);
    warn_if_upgrade_unfinished(s.fs, state_dir);
    run.id = new_run_id(s.clock) + "-" + command.name;
    record = std::make_unique<Journal>(s.fs, state_dir, "runs/" + run.id + ".yaml");
    env.journal = record.get();
  }
  std::vector<std::string> words{command.name};
  words.insert(words.end(), o.args.begin(), o.args.end());
  run.command = join(words, " ");
  run.node = s.facts.node_name;
  run.started_unix_ms = s.clock.now_unix_ms();
  for (const LoadedPlugin *p : composition.plugins) run.plugins.push_back(p->id);

  s.start_node_services();
  PluginRuntime runtime(env);
  runtime.init_all(composition);
  env.run = &run;
  env.save_run();  // on disk before anything changes, like an upgrade's journal
  const uint32_t flags = (o.dry_run ? KUP_CALL_DRY_RUN : 0u) | (o.force ? KUP_CALL_FORCE : 0u) |
                         (o.yes ? KUP_CALL_CONFIRMED : 0u);
  const uint32_t output = o.output == OutputFormat::kJson ? 1u : o.output == OutputFormat::kYaml ? 2u : 0u;
  const PhaseCallResult r = runtime.call_command(command, o.args, flags, output, std::cout);
  run.state = r.ok() ? RunState::kCompleted : RunState::kFailed;
  run.finished_unix_ms = s.clock.now_unix_ms();
  env.save_run();
  env.run = nullptr;
  if (!r.ok()) {
    for (const auto &line : split(r.details, '\n')) logging::write(KUP_LOG_DEBUG, "    " + line);
    throw Failure(exit_code_for(r.status), r.message);
  }
  const auto copies = std::count_if(run.file_backups.begin(), run.file_backups.end(),
                                    [](const FileBackup &b) { return !b.backup_path.empty(); });
  if (copies)
    logging::write(KUP_LOG_INFO, "[" + command.name + "] Kept the previous content of " + std::to_string(copies) +
                                     " replaced file(s) under /var/lib/kuphost/backups/" + run.id + "/");
  return ExitCode::kOk;
}

}  // namespace kuphost
