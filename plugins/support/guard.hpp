//===- support/guard.hpp - turn C++ exceptions into ABI status codes ------===//
//
// kuphost.hpp does this for phases and init; extension tables that a plugin
// publishes need the same at their own C entry points, because no exception
// may cross the boundary into the host or into another plugin.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_GUARD_HPP
#define KUPHOST_PLUGINS_SUPPORT_GUARD_HPP

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins {

inline kup_status report_error(const kup_error *error, kup_status code, std::string_view message,
                               std::string_view details = {}) noexcept {
  if (error && error->set) error->set(error, code, kup::to_kup(message), kup::to_kup(details));
  return code;
}

// Runs `fn`; a kup::Error becomes its code, anything else KUP_E_INTERNAL.
template <class Fn>
kup_status guarded(const kup_error *error, Fn &&fn) noexcept {
  return kup::guard(error, std::forward<Fn>(fn));
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_GUARD_HPP
