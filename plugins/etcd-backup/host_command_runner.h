//===- etcd-backup/host_command_runner.h - snapshots run through the host ----
//
// The core's CommandRunner on kup::Host::run: argv only, the node's PATH,
// timeouts, the host's log and dry-run rules. A program missing on the node
// (KUP_E_NOT_FOUND) becomes ProgramNotFound, so the next way is tried.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_HOST_COMMAND_RUNNER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_HOST_COMMAND_RUNNER_H

#include <kuphost/kuphost.hpp>

#include "snapshot/command_runner.h"

namespace kuphost_plugins::etcd_backup {

class HostCommandRunner : public CommandRunner {
 public:
  explicit HostCommandRunner(kup::Host host) : host_(host) {}

  CommandResult run(const Command &command) override {
    kup::ExecOptions options;
    options.read_only = command.read_only;
    options.check = false;
    options.timeout_ms = static_cast<uint32_t>(command.timeout.count());
    options.env = command.env;
    try {
      const kup::ExecResult r = host_.run(command.argv, options);
      CommandResult result;
      result.exit_code = r.exit_code;
      result.term_signal = r.term_signal;
      result.timed_out = r.timed_out;
      result.out = r.out;
      result.err = r.err;
      return result;
    } catch (const kup::Error &e) {
      if (e.code() == KUP_E_NOT_FOUND) throw ProgramNotFound(command.argv.front() + ": not installed on this node");
      if (e.code() == KUP_E_TIMEOUT) {
        CommandResult result;
        result.timed_out = true;
        result.err = e.what();
        return result;
      }
      throw;
    }
  }

 private:
  kup::Host host_;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_HOST_COMMAND_RUNNER_H
