// The UTC timestamp in kuphost's backup directory names
// (kuphost-backup-pki-2026-11-27-10-30-00), sortable and free of ':'.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace kuphost_plugins {

inline std::string utc_stamp(int64_t now_unix) {
  const std::time_t t = static_cast<std::time_t>(now_unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d-%H-%M-%S", &tm);
  return stamp;
}

}  // namespace kuphost_plugins
