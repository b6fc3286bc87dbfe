#include "process_command_runner.h"

#include "test_support.h"

namespace kuphost::test::etcd {

kuphost_plugins::etcd_backup::CommandResult ProcessCommandRunner::run(
    const kuphost_plugins::etcd_backup::Command &command) {
  history_.push_back(command.argv);
  const ProcessResult r = run_process(command.argv, command.env);
  kuphost_plugins::etcd_backup::CommandResult result;
  result.exit_code = r.exit_code;
  result.term_signal = r.term_signal;
  result.out = r.out;
  result.err = r.err;
  return result;
}

}  // namespace kuphost::test::etcd
