// <root>/var/log/kuphost-sandbox/commands.log: one line per simulated
// command, written before it runs, so tests can assert what kuphost ran and
// in which order, even for commands that hang or fail.
#pragma once

#include "invocation.h"

namespace kuphost::sandbox::sim {

fs::path command_log_path(const fs::path &root);
void log_command(const Invocation &inv);

}  // namespace kuphost::sandbox::sim
