// Plugin-provided top-level commands (ABI 1.1): which plugin serves a word,
// and how `--help` and `plugins` describe them. Running one is
// run_plugin_command (cli/commands.h).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"
#include "loader/plugin.h"
#include "report/value.h"

namespace kuphost {

// The built-in commands; they win over a plugin command of the same name.
inline constexpr std::array<std::string_view, 6> kBuiltinCommands = {"plan",    "apply",   "plugins",
                                                                     "sandbox", "version", "help"};
bool is_builtin_command(std::string_view word);

// The one command called `name` among the available plugins. Throws
// Failure: kInvalidInput when none declares it (naming the plugin commands
// there are), kPluginError naming both plugins when two do.
const CommandInfo &find_plugin_command(const std::vector<const LoadedPlugin *> &available,
                                       const std::string &name);

// The "Plugin commands" section of `kuphost --help`, from the plugins on the
// search path (--plugin-dir, $KUPHOST_PLUGIN_PATH, the install directory).
// Plugins that fail to load are left out: help must always work.
std::string plugin_commands_help(const Options &options);

// One line per command ("  backup list | backup verify [SET]  summary"),
// `indent` first; and the same for -o json|yaml.
std::string command_lines(const LoadedPlugin &plugin, const std::string &indent);
Value command_values(const LoadedPlugin &plugin);

}  // namespace kuphost
