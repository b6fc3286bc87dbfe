#include "services/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "support/failure.h"

namespace kuphost::logging {
namespace {

spdlog::level::level_enum to_spdlog(int32_t level) {
  switch (level) {
    case KUP_LOG_ERROR: return spdlog::level::err;
    case KUP_LOG_WARNING: return spdlog::level::warn;
    case KUP_LOG_INFO: return spdlog::level::info;
    case KUP_LOG_DEBUG: return spdlog::level::debug;
    default: return spdlog::level::trace;
  }
}

}  // namespace

void init(int verbosity, const std::filesystem::path &log_file) {
  auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  console->set_pattern("%v");
  console->set_level(verbosity >= 2 ? spdlog::level::trace
                     : verbosity == 1 ? spdlog::level::debug
                                      : spdlog::level::info);
  std::vector<spdlog::sink_ptr> sinks{console};
  if (!log_file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file.string(), false);
      file->set_pattern("%Y-%m-%dT%H:%M:%S.%e %L %v");
      file->set_level(spdlog::level::trace);
      sinks.push_back(file);
    } catch (const spdlog::spdlog_ex &e) {
      throw Failure(ExitCode::kInvalidInput,
                    "cannot open --log-file " + log_file.string() + ": " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("kuphost", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

void write(int32_t level, std::string_view message) {
  spdlog::default_logger_raw()->log(to_spdlog(level), "{}", message);
}

bool enabled(int32_t level) {
  const auto lvl = to_spdlog(level);
  for (const auto &sink : spdlog::default_logger_raw()->sinks())
    if (sink->should_log(lvl)) return true;
  return false;
}

}  // namespace kuphost::logging
