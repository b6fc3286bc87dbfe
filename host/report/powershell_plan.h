// `kuphost plan -o powershell`: the plan of a Windows node as one script an
// operator can run by hand on the node. Phases that write PowerShell
// (KUP_PHASE_PLANS_POWERSHELL) contribute their lines as they are; every
// other phase's steps become `#` comments at their place in the order, so
// the admin-machine steps (drain, uncordon) stay visible where they belong.
#pragma once

#include <string>

#include "facts/node_facts.h"
#include "run/executor.h"

namespace kuphost {

// Deterministic for a given plan (no time, no kuphost version): golden tests use it.
std::string powershell_plan_text(const NodeFacts &facts, const std::string &target, const PlanResult &plan);

}  // namespace kuphost
