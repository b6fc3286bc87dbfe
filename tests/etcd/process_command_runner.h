// The snapshot library's command seam, backed by real child processes
// (kuphost::test::run_process: argv, no shell). Timeouts are not enforced
// here; ctest's TIMEOUT bounds a hung etcdctl.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "command_runner.h"

namespace kuphost::test::etcd {

class ProcessCommandRunner : public kuphost_plugins::etcd_backup::CommandRunner {
 public:
  // `search_path`: the PATH programs are looked up in, as a node's PATH
  // would be ("" = this process's PATH). Programs not found there throw
  // ProgramNotFound, as the host's exec service reports them.
  explicit ProcessCommandRunner(std::optional<std::string> search_path = std::nullopt)
      : search_path_(std::move(search_path)) {}

  kuphost_plugins::etcd_backup::CommandResult run(const kuphost_plugins::etcd_backup::Command &command) override;
  // Every argv run, in order, for assertions on the exact command lines.
  const std::vector<std::vector<std::string>> &history() const { return history_; }

 private:
  std::optional<std::filesystem::path> find_program(const std::string &name) const;

  std::optional<std::string> search_path_;
  std::vector<std::vector<std::string>> history_;
};

}  // namespace kuphost::test::etcd
