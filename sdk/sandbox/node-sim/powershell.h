// The Windows node's PowerShell (the subset in sdk/sandbox/README.md, "Windows nodes"): a line
// interpreter for the subset kuphost generates, run by the node's ssh for
// `powershell ... -EncodedCommand`. Every line is parsed before any runs, so
// a script with a statement the sandbox does not understand changes nothing.
#pragma once

#include <string>

#include "invocation.h"

namespace kuphost::sandbox::sim {

// Runs `script` on the node; returns powershell.exe's exit code.
int run_powershell(Invocation &inv, const std::string &script);

}  // namespace kuphost::sandbox::sim
