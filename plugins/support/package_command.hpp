//===- support/package_command.hpp - failures in the package manager's words
//
// When `apt-get install` or `dnf install` fails, the host's generic message
// quotes the last line of stderr, which is often a hint ("(try to add
// '--skip-broken' ...)") or a detail rather than the reason. The operator
// needs the package manager's own error line: apt's first "E: " line, dnf's
// and yum's "Error: " line.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_PACKAGE_COMMAND_HPP
#define KUPHOST_PLUGINS_SUPPORT_PACKAGE_COMMAND_HPP

#include <string>
#include <string_view>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "support/text.hpp"

namespace kuphost_plugins {

// The first line of `output` that starts with `marker` ("E: ", "Error:"),
// trimmed; empty when there is none. dnf prints depsolving failures as an
// empty "Error: " followed by indented " Problem: ..." lines: those are
// joined onto it, so the one line says what the problem is.
inline std::string package_manager_error(std::string_view output, std::string_view marker) {
  const auto lines = lines_of(output);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind(marker, 0) != 0) continue;
    std::string found(trim(lines[i]));
    if (trim(std::string_view(lines[i]).substr(marker.size())).empty())
      for (size_t j = i + 1; j < lines.size() && !lines[j].empty() && is_space(lines[j].front()); ++j)
        found += " " + std::string(trim(lines[j]));
    return found;
  }
  return {};
}

// Runs a package manager command that changes the node. A non-zero exit
// throws KUP_E_COMMAND_FAILED naming the command, its exit code and the
// package manager's error line (`marker`, see package_manager_error),
// falling back to the last line of output; stderr goes into the details.
// Timeouts and missing programs are reported by the host as usual.
inline kup::ExecResult run_package_command(const kup::Host &host, const std::vector<std::string> &argv,
                                           kup::ExecOptions opt, std::string_view marker) {
  opt.check = false;
  kup::ExecResult r = host.run(argv, opt);
  if (r.exit_code == 0 && r.term_signal == 0) return r;
  std::string why = package_manager_error(r.err, marker);
  if (why.empty()) why = package_manager_error(r.out, marker);
  if (why.empty()) why = last_line_of(r.err.empty() ? r.out : r.err);
  const std::string how = r.term_signal ? "was killed by signal " + std::to_string(r.term_signal)
                                        : "exited with " + std::to_string(r.exit_code);
  throw kup::Error(KUP_E_COMMAND_FAILED,
                   "`" + command_line(argv) + "` " + how + (why.empty() ? std::string() : ": " + why), r.err);
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_PACKAGE_COMMAND_HPP
