//===- snapshot/command_runner.h - the seam between snapshots and processes --
//
// The snapshot code never starts a process itself: the plugin will adapt
// kup::Host::run (dry-run, logging, timeouts), and the tests run the real
// etcdctl through a plain child-process runner.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_COMMAND_RUNNER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_COMMAND_RUNNER_H

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace kuphost_plugins::etcd_backup {

struct Command {
  std::vector<std::string> argv;  // argv[0] a program name or path; never a shell
  std::vector<std::string> env;   // extra "NAME=value" entries
  std::chrono::milliseconds timeout{0};  // 0 = none
  bool read_only = false;  // only reads (safe during plan and dry-run)
};

struct CommandResult {
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;
  std::string out, err;
  bool succeeded() const { return exit_code == 0 && term_signal == 0 && !timed_out; }
};

// argv[0] is not installed (on the node's PATH): the caller tries the next way.
class ProgramNotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs the command to completion. Throws ProgramNotFound when argv[0] is
  // not installed, other exceptions only when it cannot be started.
  virtual CommandResult run(const Command &command) = 0;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_SNAPSHOT_COMMAND_RUNNER_H
