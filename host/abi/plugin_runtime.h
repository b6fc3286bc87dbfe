// Runs plugin code through the C ABI: init and deinit of the selected
// plugins, and one call into a phase with its sinks. All calls happen on the
// main thread, one at a time, as kuphost.h promises plugins.
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "abi/plugin_host.h"
#include "abi/run_env.h"

namespace kuphost {

struct PhaseCallResult {
  kup_status status = KUP_OK;
  std::string message, details;     // from the error sink
  std::vector<std::string> lines;   // from the out sink
  uint32_t outcome = KUP_OUTCOME_CHANGED;
  std::string summary;

  bool ok() const { return status == KUP_OK; }
};

class PluginRuntime {
 public:
  explicit PluginRuntime(RunEnv &env);
  ~PluginRuntime();  // deinit in reverse init order
  PluginRuntime(const PluginRuntime &) = delete;
  PluginRuntime &operator=(const PluginRuntime &) = delete;

  // Calls init of every plugin in the composition, extension providers
  // first. Throws Failure: kInvalidInput for KUP_E_INVALID_CONFIG, else
  // kPluginError, naming the plugin.
  void init_all(const Composition &composition);

  // Calls `fn` of a phase. `echo`: write the phase's out lines to the log as
  // they arrive (apply); plan collects them silently.
  PhaseCallResult call(const PlannedPhase &phase, kup_phase_fn fn, uint32_t flags, bool echo);

  // Calls a plugin command (ABI 1.1) of an initialized plugin. What the
  // plugin writes to the call's `out` goes to `out` unchanged; lines and
  // outcome of the result stay empty. `output`: 0 text, 1 json, 2 yaml.
  PhaseCallResult call_command(const CommandInfo &command, const std::vector<std::string> &args,
                               uint32_t flags, uint32_t output, std::ostream &out);

  // The table a plugin publishes for extension `id` on this node, as
  // kup_host.find_extension answers plugins (after init_all); nullptr when
  // no initialized plugin serves it. *provider gets the plugin id.
  const void *find_extension(const std::string &id, std::string *provider);

 private:

  RunEnv &env_;
  const Composition *composition_ = nullptr;
  std::vector<std::unique_ptr<PluginHost>> hosts_;  // in init order
  std::map<const LoadedPlugin *, void *> contexts_;
  std::vector<const LoadedPlugin *> initialized_;
};

}  // namespace kuphost
