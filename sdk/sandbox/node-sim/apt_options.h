// apt's command line (apt-pkg's CommandLine) as apt-get, apt-cache and
// apt-mark share it: options anywhere, -q/-qq/-q=2, -y, -s, -o Name=Value,
// --allow-* and --error-on=any.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kuphost::sandbox::sim {

struct AptOptions {
  std::vector<std::string> operands;  // the operation, then its arguments
  int quiet = 0;                      // -qq suppresses everything but errors
  bool assume_yes = false;
  bool allow_downgrades = false;
  bool allow_change_held = false;
  bool force_yes = false;  // deprecated: allows both, with a warning
  bool simulate = false;
  bool error_on_any = false;  // update: failed index downloads are errors (rc 100)
  // -o Dir::Etc::SourceList=, Dir::Etc::SourceParts=, Dir::State::Lists=, as
  // given (node paths; relative ones are resolved as apt does, see
  // apt_view.h). Unset: the node's own /etc/apt/sources.list(.d) and lists.
  std::optional<std::string> source_list, source_parts, lists_dir;
};

// nullopt + *error (apt's text after "E: ") for an option apt rejects.
// Options the sandbox need not act on (--no-install-recommends, -o
// Dpkg::Options::=--force-confold, ...) are accepted and ignored.
std::optional<AptOptions> parse_apt_options(const std::vector<std::string> &args, std::string *error);

// apt's exit code for errors ("E: ..."), as opposed to 1 for an aborted prompt.
constexpr int kAptErrorExit = 100;

}  // namespace kuphost::sandbox::sim
