// Ordering of package versions ("1.31.2", "1.31.2-1.1", "1.31.2-150500.1.1")
// the way dpkg orders them. rpm's vercmp agrees with it on every version
// pkgs.k8s.io publishes, so apt and dnf simulations share it.
#pragma once

#include <string_view>

namespace kuphost::sandbox::detail {

// <0, 0, >0 as a is older than, the same as, or newer than b. Handles an
// optional epoch ("1:") and revision ("-1.1"), as dpkg --compare-versions.
int compare_package_versions(std::string_view a, std::string_view b);

}  // namespace kuphost::sandbox::detail
