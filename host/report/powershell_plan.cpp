#include "report/powershell_plan.h"

#include <sstream>

namespace kuphost {

std::string powershell_plan_text(const NodeFacts &facts, const std::string &target, const PlanResult &plan) {
  std::ostringstream out;
  const std::string os = facts.os_pretty_name.empty() ? facts.os_id + " " + facts.os_version_id : facts.os_pretty_name;
  out << "# kuphost plan -o powershell: Windows node " << facts.node_name << " (" << os << ", " << facts.arch
      << "), target " << (target.empty() ? "not given" : target) << "\n"
      << "# Phases marked (not a node step) run elsewhere (kuphost's checks, kubectl on the admin machine):\n"
      << "# their steps are comments at their place in the order.\n";
  int index = 0;
  for (const auto &phase : plan.phases) {
    const auto &spec = *phase.planned->phase;
    out << "\n# [" << ++index << "] " << spec.qualified_id() << ": " << spec.title
        << (phase.powershell ? "" : " (not a node step)") << "\n";
    for (const auto &line : phase.steps) {
      if (phase.powershell) out << line << "\n";
      else out << "#   " << line << "\n";
    }
    if (!phase.error.empty()) out << "# ! plan failed: " << phase.error << "\n";
  }
  return out.str();
}

}  // namespace kuphost
