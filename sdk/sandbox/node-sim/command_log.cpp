#include "command_log.h"

#include "fs_util.h"

namespace kuphost::sandbox::sim {

fs::path command_log_path(const fs::path &root) { return root / "var/log/kuphost-sandbox/commands.log"; }

void log_command(const Invocation &inv) { detail::append_line(command_log_path(inv.root), inv.command_line()); }

}  // namespace kuphost::sandbox::sim
