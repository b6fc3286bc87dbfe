// Logging with spdlog in kubeadm's style: "[upgrade/<stage>] message" on
// stderr; -v raises verbosity; --log-file keeps a timestamped copy of all.
#pragma once

#include <filesystem>
#include <string_view>

#include <kuphost/kuphost.h>

namespace kuphost::logging {

// verbosity: 0 info, 1 debug (commands), 2+ trace (command output).
// Throws Failure when the log file cannot be opened.
void init(int verbosity, const std::filesystem::path &log_file);
// Writes `message` at a kup log level (KUP_LOG_*).
void write(int32_t level, std::string_view message);
bool enabled(int32_t level);

}  // namespace kuphost::logging
