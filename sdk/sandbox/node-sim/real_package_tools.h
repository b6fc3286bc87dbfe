// On `--packages real` nodes the node's apt-get, apt-cache, apt-mark,
// dpkg-query, dnf, yum and rpm are this machine's real tools, pointed at the
// node's root (real_packages.h). The command log and faults.yaml still apply:
// main() handles both before it gets here.
#pragma once

#include <string_view>

#include "invocation.h"

namespace kuphost::sandbox::sim {

bool is_package_tool(std::string_view command);

// Replaces this process with the real tool; returns an exit code only when
// that fails.
int exec_real_package_tool(Invocation &inv);

}  // namespace kuphost::sandbox::sim
