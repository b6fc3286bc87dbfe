// Running external commands: argv vectors only, never a shell.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost {

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up in the runner's search path
  std::vector<std::string> env;   // "NAME=value", added to (and overriding) the base environment
  std::string stdin_data;
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  // Called with each complete output line as it arrives (streaming to logs).
  std::function<void(std::string_view)> on_stdout_line, on_stderr_line;
};

struct CommandResult {
  bool started = false;   // false: the program was not found or could not be spawned
  int exit_code = -1;     // -1 when killed by a signal or not started
  int term_signal = 0;
  bool timed_out = false;
  std::string out, err;
  std::string spawn_error;  // why it did not start
  std::chrono::milliseconds duration{0};
  bool ok() const { return started && exit_code == 0; }
};

// Abstract so that tests substitute a double that records argv and scripts
// results, as ninja does with CommandRunner.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual CommandResult run(const Command &command) = 0;
};

// Spawns real processes with pipes, a deadline (SIGTERM to the process group,
// SIGKILL 5 s later) and captured output.
class RealCommandRunner : public CommandRunner {
 public:
  // `search_path`: directories for argv[0] without a slash; empty = $PATH.
  // `base_env_overrides`: "NAME=value" applied to every command (PATH of a
  // sandbox node, for example).
  RealCommandRunner(std::vector<std::filesystem::path> search_path,
                    std::vector<std::string> base_env_overrides);
  CommandResult run(const Command &command) override;
  // The absolute path argv[0] resolves to, or empty.
  std::filesystem::path resolve(const std::string &program) const;

 private:
  std::vector<std::filesystem::path> search_path_;
  std::vector<std::string> base_env_overrides_;
};

}  // namespace kuphost
