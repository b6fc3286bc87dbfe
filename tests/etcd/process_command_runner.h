// The snapshot library's command seam, backed by real child processes
// (kuphost::test::run_process: argv, no shell). Timeouts are not enforced
// here; ctest's TIMEOUT bounds a hung etcdctl.
#pragma once

#include <string>
#include <vector>

#include "command_runner.h"

namespace kuphost::test::etcd {

class ProcessCommandRunner : public kuphost_plugins::etcd_backup::CommandRunner {
 public:
  kuphost_plugins::etcd_backup::CommandResult run(const kuphost_plugins::etcd_backup::Command &command) override;
  // Every argv run, in order, for assertions on the exact command lines.
  const std::vector<std::vector<std::string>> &history() const { return history_; }

 private:
  std::vector<std::vector<std::string>> history_;
};

}  // namespace kuphost::test::etcd
