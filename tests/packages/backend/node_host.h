// A real kup::Host for backend tests: the host's own PluginHost over a
// temporary node root (real files) and the harness's fake command runner,
// so a backend's commands are recorded and answered from a script while
// its errors travel the same C path as in a run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "abi/plugin_host.h"
#include "harness.h"
#include "services/logging.h"

namespace kuphost::test {

class NodeHost {
 public:
  // `runner`: the runner commands go to; the harness's fake one by default.
  explicit NodeHost(RunMode mode = RunMode::kApply, CommandRunner *runner = nullptr) {
    logging::init(0, {});
    plugin_.id = "backend-under-test";
    env_ = std::make_unique<RunEnv>(NodeRoot(h.root), h.fs, runner ? *runner : h.runner, h.clock, h.facts, h.config);
    run_.id = "run-1";
    env_->run = &run_;
    env_->mode = mode;
    host_ = std::make_unique<PluginHost>(*env_, plugin_, nullptr);
  }
  kup::Host host() const { return kup::Host(host_->host()); }
  // Writes `text` at node path `path` (absolute, under the root).
  void write(const std::string &path, const std::string &text) { write_file(h.root / path.substr(1), text); }
  // The commands run so far, each joined with blanks.
  std::vector<std::string> commands() const {
    std::vector<std::string> out;
    for (const auto &argv : h.runner.calls) {
      std::string line;
      for (const auto &arg : argv) line += (line.empty() ? "" : " ") + arg;
      out.push_back(line);
    }
    return out;
  }

  Harness h;

 private:
  LoadedPlugin plugin_;
  JournalRun run_;
  std::unique_ptr<RunEnv> env_;
  std::unique_ptr<PluginHost> host_;
};

// The kup::Error `fn` throws, or a failed expectation and an empty error.
template <class Fn>
kup::Error error_of(Fn &&fn) {
  try {
    fn();
  } catch (const kup::Error &e) {
    return e;
  }
  ADD_FAILURE() << "no kup::Error thrown";
  return kup::Error(KUP_OK, "");
}

}  // namespace kuphost::test
