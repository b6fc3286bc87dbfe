#include "process_command_runner.h"

#include <unistd.h>

#include <cstdlib>

#include "test_support.h"

namespace kuphost::test::etcd {

std::optional<std::filesystem::path> ProcessCommandRunner::find_program(const std::string &name) const {
  if (name.find('/') != std::string::npos) return std::filesystem::path(name);
  const char *env_path = std::getenv("PATH");
  const std::string path = search_path_ ? *search_path_ : (env_path ? env_path : "/usr/bin:/bin");
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto colon = path.find(':', start);
    const std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!dir.empty()) {
      const auto candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return std::nullopt;
}

kuphost_plugins::etcd_backup::CommandResult ProcessCommandRunner::run(
    const kuphost_plugins::etcd_backup::Command &command) {
  history_.push_back(command.argv);
  auto argv = command.argv;
  const auto program = find_program(argv.at(0));
  if (!program) throw kuphost_plugins::etcd_backup::ProgramNotFound(argv[0] + ": not found on PATH");
  argv[0] = program->string();
  const ProcessResult r = run_process(argv, command.env);
  kuphost_plugins::etcd_backup::CommandResult result;
  result.exit_code = r.exit_code;
  result.term_signal = r.term_signal;
  result.out = r.out;
  result.err = r.err;
  return result;
}

}  // namespace kuphost::test::etcd
