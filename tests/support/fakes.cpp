#include "fakes.h"

#include "support/strings.h"

namespace kuphost::test {

CommandResult FakeCommandRunner::run(const Command &command) {
  calls.push_back(command.argv);
  const std::string line = join(command.argv, " ");
  for (const auto &r : replies_)
    if (line.rfind(r.prefix, 0) == 0) return r.result;
  CommandResult ok;
  ok.started = true;
  ok.exit_code = 0;
  return ok;
}

void FakeCommandRunner::reply(const std::string &prefix, int exit_code, const std::string &out,
                              const std::string &err) {
  CommandResult r;
  r.started = true;
  r.exit_code = exit_code;
  r.out = out;
  r.err = err;
  replies_.push_back({prefix, r});
}

void FakeCommandRunner::not_found(const std::string &program) {
  CommandResult r;
  r.spawn_error = "command not found: " + program;
  replies_.push_back({program, r});
}

}  // namespace kuphost::test
