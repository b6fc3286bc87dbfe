// Wall-clock time as text, in the formats the simulated tools print
// (RFC 3339, kubeadm's backup-directory stamps).
#pragma once

#include <string>

namespace kuphost::sandbox::detail {

enum class TimeZone { kUtc, kLocal };

// strftime(3) of the current time; `format` must expand to under 64 bytes.
std::string format_now(const char *format, TimeZone zone);

inline std::string now_rfc3339() { return format_now("%Y-%m-%dT%H:%M:%SZ", TimeZone::kUtc); }

}  // namespace kuphost::sandbox::detail
