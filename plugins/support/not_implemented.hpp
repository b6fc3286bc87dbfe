//===- support/not_implemented.hpp - bodies whose real work comes later ---===//
//
// A phase whose real apply belongs to a later issue still plans and dry-runs
// its steps, so composition and `apply --dry-run` show the truth; a real
// apply refuses instead of pretending success.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_NOT_IMPLEMENTED_HPP
#define KUPHOST_PLUGINS_SUPPORT_NOT_IMPLEMENTED_HPP

#include <string>
#include <string_view>
#include <vector>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins {

// Dry-run: echoes the plan's `steps` as progress; otherwise throws
// KUP_E_UNSUPPORTED with the message the operator acts on.
inline void echo_steps_or_refuse(const kup::Call &call, std::string_view plugin,
                                 const std::vector<std::string> &steps) {
  if (!call.dry_run())
    throw kup::Error(KUP_E_UNSUPPORTED, std::string(plugin) + ": " + std::string(call.phase_id()) +
                                            " is not implemented yet; leave the plugin out with --plugins");
  for (const auto &step : steps) call.out(step);
  call.changed("dry run: " + std::to_string(steps.size()) + " steps shown; " + std::string(plugin) + "/" +
               std::string(call.phase_id()) + " cannot apply them yet");
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_NOT_IMPLEMENTED_HPP
