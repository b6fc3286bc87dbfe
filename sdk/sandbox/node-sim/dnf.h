// dnf's commands; each returns dnf's exit code (1 for every error).
#pragma once

#include "dnf_options.h"
#include "invocation.h"

namespace kuphost::sandbox::sim {

int dnf_list(Invocation &inv, const DnfOptions &opts);

enum class DnfInstallMode { kInstall, kUpgrade, kDowngrade };
int dnf_install(Invocation &inv, const DnfOptions &opts, DnfInstallMode mode);

}  // namespace kuphost::sandbox::sim
