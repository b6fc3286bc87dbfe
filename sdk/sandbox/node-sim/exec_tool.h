// Replaces node-sim with one of this machine's real tools (etcdctl, curl,
// apt/dnf for --packages real) once the arguments are mapped into the node:
// output written so far is flushed first, and a failed exec is reported on
// the invocation's stderr.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "invocation.h"

namespace kuphost::sandbox::sim {

// Does not return when the exec succeeds. Otherwise writes
// "<who>: cannot run <program>: <errno text><hint>" and returns 126.
// `environment`: the whole environment, or empty to keep node-sim's.
int exec_real_tool(Invocation &inv, const std::string &who, const std::filesystem::path &program,
                   std::vector<std::string> args, std::vector<std::string> environment = {},
                   const std::string &hint = {});

}  // namespace kuphost::sandbox::sim
