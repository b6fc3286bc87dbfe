// apt-get's operations; each returns apt-get's exit code.
#pragma once

#include "apt_options.h"
#include "invocation.h"

namespace kuphost::sandbox::sim {

int apt_get_update(Invocation &inv, const AptOptions &opts);
int apt_get_install(Invocation &inv, const AptOptions &opts);  // opts.operands: install PKG[=VER]...
int apt_get_upgrade(Invocation &inv, const AptOptions &opts);

}  // namespace kuphost::sandbox::sim
