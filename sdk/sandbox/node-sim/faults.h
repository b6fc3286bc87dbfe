// Fault injection for tests: <root>/var/lib/kuphost-sandbox/faults.yaml
//
//   - match: "kubeadm upgrade apply"   # prefix of the command line
//     after: 1          # let the first N matching calls run normally
//     times: 0          # then fail this many (0: every later matching call)
//     exit: 1           # exit code of a failing call (default 1)
//     stderr: "..."     # printed by a failing call
//     stdout: "..."
//     hang_seconds: 30  # sleep first; without `exit` the command then runs normally
//
// Matching calls are counted per entry in fault-calls.yaml next to it.
#pragma once

#include <optional>
#include <string>

#include "invocation.h"

namespace kuphost::sandbox::sim {

struct FaultAction {
  int hang_seconds = 0;
  bool fail = false;
  int exit_code = 1;
  std::string out, err;
};

// The first faults.yaml entry that matches this call and is due, if any.
// Throws std::runtime_error on a malformed faults.yaml.
std::optional<FaultAction> due_fault(const Invocation &inv);

// Sleeps, prints and returns the exit code to use, or nullopt to run the
// command normally after a hang.
std::optional<int> perform_fault(const FaultAction &fault, Invocation &inv);

}  // namespace kuphost::sandbox::sim
