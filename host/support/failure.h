// Errors the host reports to the operator as one line, with an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace kuphost {

// Exit codes; documented in `kuphost --help` and the README.
enum class ExitCode : int {
  kOk = 0,
  kFailed = 1,              // a phase failed; completed phases were rolled back
  kInvalidInput = 2,        // command line, config, version or plugin name; nothing changed
  kPluginError = 3,         // a plugin could not be loaded or composed; nothing changed
  kRollbackIncomplete = 4,  // a phase failed and rollback did not finish: the node needs attention
  kInterrupted = 130,       // SIGINT/SIGTERM; re-run `kuphost apply` to resume
};

// Thrown inside the host (never across the plugin ABI) for anything that ends
// the command; main() prints `kuphost: error: <what>` and exits with `code`.
class Failure : public std::runtime_error {
 public:
  Failure(ExitCode code, const std::string &message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

[[noreturn]] inline void fail_input(const std::string &message) {
  throw Failure(ExitCode::kInvalidInput, message);
}
[[noreturn]] inline void fail_plugin(const std::string &message) {
  throw Failure(ExitCode::kPluginError, message);
}

}  // namespace kuphost
