#include "flags.h"

namespace kuphost::sandbox::sim {
namespace {

const FlagSpec *find_long(const std::vector<FlagSpec> &specs, const std::string &name) {
  for (const auto &s : specs)
    if (s.name == name) return &s;
  return nullptr;
}

const FlagSpec *find_short(const std::vector<FlagSpec> &specs, char c) {
  for (const auto &s : specs)
    if (s.shorthand == c) return &s;
  return nullptr;
}

}  // namespace

std::string ParsedFlags::get(const std::string &name, const std::string &fallback) const {
  const auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

std::optional<bool> ParsedFlags::get_bool(const std::string &name, bool fallback, std::string *error) const {
  const auto it = values.find(name);
  if (it == values.end()) return fallback;
  const std::string &v = it->second;
  if (v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True") return true;
  if (v == "0" || v == "f" || v == "F" || v == "false" || v == "FALSE" || v == "False") return false;
  *error = "invalid argument \"" + v + "\" for \"--" + name + "\" flag: strconv.ParseBool: parsing \"" + v +
           "\": invalid syntax";
  return std::nullopt;
}

std::optional<ParsedFlags> parse_flags(const std::vector<std::string> &args, const std::vector<FlagSpec> &specs,
                                       std::string *error) {
  ParsedFlags parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "--") {
      parsed.positionals.insert(parsed.positionals.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.rfind("--", 0) == 0) {
      const auto eq = arg.find('=');
      const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      const FlagSpec *spec = find_long(specs, name);
      if (!spec) {
        *error = "unknown flag: --" + name;
        return std::nullopt;
      }
      if (eq != std::string::npos) {
        parsed.values[name] = arg.substr(eq + 1);
      } else if (!spec->takes_value) {
        parsed.values[name] = "true";
      } else if (i + 1 < args.size()) {
        parsed.values[name] = args[++i];
      } else {
        *error = "flag needs an argument: --" + name;
        return std::nullopt;
      }
    } else if (arg.size() > 1 && arg[0] == '-') {
      // -y, -o json, -ojson, -fy
      for (size_t j = 1; j < arg.size(); ++j) {
        const FlagSpec *spec = find_short(specs, arg[j]);
        if (!spec) {
          *error = std::string("unknown shorthand flag: '") + arg[j] + "' in " + arg;
          return std::nullopt;
        }
        if (!spec->takes_value) {
          parsed.values[spec->name] = "true";
          continue;
        }
        if (j + 1 < arg.size()) {
          parsed.values[spec->name] = arg.substr(arg[j + 1] == '=' ? j + 2 : j + 1);
        } else if (i + 1 < args.size()) {
          parsed.values[spec->name] = args[++i];
        } else {
          *error = std::string("flag needs an argument: '") + arg[j] + "' in -" + arg[j];
          return std::nullopt;
        }
        break;
      }
    } else {
      parsed.positionals.push_back(arg);
    }
  }
  return parsed;
}

}  // namespace kuphost::sandbox::sim
