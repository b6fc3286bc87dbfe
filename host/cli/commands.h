// The commands of the kuphost CLI. Each returns the process exit code and
// throws Failure for errors that end it.
#pragma once

#include "cli/options.h"
#include "support/failure.h"

namespace kuphost {

ExitCode run_plan(const Options &options);
ExitCode run_apply(const Options &options);
ExitCode run_plugins(const Options &options);
ExitCode run_sandbox(const Options &options);
ExitCode run_version(const Options &options);
// A command a plugin declares (cli/plugin_commands.h): `kuphost backup list`.
ExitCode run_plugin_command(const Options &options);

// Writes a report in the chosen format to stdout.
void print_output(const Options &options, const std::string &text, const struct Value &value);

}  // namespace kuphost
