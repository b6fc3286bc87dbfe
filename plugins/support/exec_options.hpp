//===- support/exec_options.hpp - how the plugins run what only reads -----===//
#ifndef KUPHOST_PLUGINS_SUPPORT_EXEC_OPTIONS_HPP
#define KUPHOST_PLUGINS_SUPPORT_EXEC_OPTIONS_HPP

#include <cstdint>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins {

// A command that only reads (it runs in plan and dry-run too) and whose exit
// code the caller inspects instead of a kup::Error being thrown.
inline kup::ExecOptions read_only_query(uint32_t timeout_ms) {
  kup::ExecOptions opt;
  opt.read_only = true;
  opt.check = false;
  opt.timeout_ms = timeout_ms;
  return opt;
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_EXEC_OPTIONS_HPP
