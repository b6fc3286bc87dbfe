// Command-line flags the way cobra/pflag (kubeadm, kubectl) parse them:
// --name=value, --name value, -x, boolean --name / --name=false, and the
// same error texts for unknown or incomplete flags.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kuphost::sandbox::sim {

struct FlagSpec {
  std::string name;        // without dashes: "dry-run"
  char shorthand = 0;      // 'y'
  bool takes_value = false;
};

struct ParsedFlags {
  std::vector<std::string> positionals;
  std::map<std::string, std::string> values;  // boolean flags hold "true"/"false"

  bool has(const std::string &name) const { return values.count(name) != 0; }
  std::string get(const std::string &name, const std::string &fallback = "") const;
  // Go's strconv.ParseBool on the value; `fallback` when absent.
  std::optional<bool> get_bool(const std::string &name, bool fallback, std::string *error) const;
};

// nullopt + *error ("unknown flag: --foo") on a bad command line.
std::optional<ParsedFlags> parse_flags(const std::vector<std::string> &args, const std::vector<FlagSpec> &specs,
                                       std::string *error);

}  // namespace kuphost::sandbox::sim
