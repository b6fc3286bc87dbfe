#include "clock_text.h"

#include <ctime>

namespace kuphost::sandbox::detail {

std::string format_now(const char *format, TimeZone zone) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  if (zone == TimeZone::kUtc)
    gmtime_r(&now, &tm);
  else
    localtime_r(&now, &tm);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace kuphost::sandbox::detail
