#include "apt_options.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

namespace kuphost::sandbox::sim {
namespace {

std::string lower(std::string s) {
  for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// apt's StringToBool.
std::optional<bool> parse_bool(const std::string &value) {
  const std::string v = lower(value);
  if (v == "1" || v == "yes" || v == "true" || v == "with" || v == "on" || v == "enable") return true;
  if (v == "0" || v == "no" || v == "false" || v == "without" || v == "off" || v == "disable") return false;
  return std::nullopt;
}

// Boolean options the sandbox acts on, keyed by their apt configuration name.
const std::map<std::string, bool AptOptions::*> &config_flags() {
  static const std::map<std::string, bool AptOptions::*> flags{
      {"apt::get::assume-yes", &AptOptions::assume_yes},
      {"apt::get::allow-downgrades", &AptOptions::allow_downgrades},
      {"apt::get::allow-change-held-packages", &AptOptions::allow_change_held},
      {"apt::get::force-yes", &AptOptions::force_yes},
      {"apt::get::simulate", &AptOptions::simulate},
  };
  return flags;
}

// Long option -> configuration name ("" for accepted options without effect here).
const std::map<std::string, std::string> &long_flags() {
  static const std::map<std::string, std::string> flags{
      {"yes", "apt::get::assume-yes"},
      {"assume-yes", "apt::get::assume-yes"},
      {"allow-downgrades", "apt::get::allow-downgrades"},
      {"allow-change-held-packages", "apt::get::allow-change-held-packages"},
      {"force-yes", "apt::get::force-yes"},
      {"simulate", "apt::get::simulate"},
      {"just-print", "apt::get::simulate"},
      {"dry-run", "apt::get::simulate"},
      {"recon", "apt::get::simulate"},
      {"no-act", "apt::get::simulate"},
      {"no-install-recommends", ""},
      {"install-recommends", ""},
      {"no-install-suggests", ""},
      {"install-suggests", ""},
      {"allow-unauthenticated", ""},
      {"allow-remove-essential", ""},
      {"allow-insecure-repositories", ""},
      {"allow-releaseinfo-change", ""},
      {"fix-missing", ""},
      {"ignore-missing", ""},
      {"fix-broken", ""},
      {"show-upgraded", ""},
      {"verbose-versions", ""},
      {"no-download", ""},
      {"list-cleanup", ""},
      {"with-new-pkgs", ""},
      {"no-upgrade", ""},
      {"only-upgrade", ""},
      {"reinstall", ""},
      {"all-versions", ""},
      {"full", ""},
  };
  return flags;
}

// Short options without a value.
const std::map<char, std::string> &short_flags() {
  static const std::map<char, std::string> flags{
      {'y', "apt::get::assume-yes"}, {'s', "apt::get::simulate"}, {'m', ""}, {'f', ""}, {'u', ""}, {'V', ""},
  };
  return flags;
}

bool set_config(AptOptions &opts, const std::string &name, const std::string &value, std::string *error) {
  const std::string key = lower(name);
  if (key == "quiet") {
    opts.quiet = std::max(0, std::atoi(value.c_str()));
    return true;
  }
  // Where apt reads its sources and keeps its lists: kuphost points these
  // at private files to list another minor without touching the node's.
  if (key == "dir::etc::sourcelist") {
    opts.source_list = value;
    return true;
  }
  if (key == "dir::etc::sourceparts") {
    opts.source_parts = value;
    return true;
  }
  if (key == "dir::state::lists") {
    opts.lists_dir = value;
    return true;
  }
  const auto it = config_flags().find(key);
  if (it == config_flags().end()) return true;  // Dpkg::Options, Acquire::*, DPkg::Lock::Timeout, ...
  const auto b = parse_bool(value);
  if (!b) {
    *error = "Option " + name + ": Configuration item specification must have an =<val>.";
    return false;
  }
  opts.*(it->second) = *b;
  return true;
}

// -o Name=Value
bool apply_assignment(AptOptions &opts, const std::string &assignment, std::string *error) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos) {
    *error = "Option " + assignment + ": Configuration item specification must have an =<val>.";
    return false;
  }
  return set_config(opts, assignment.substr(0, eq), assignment.substr(eq + 1), error);
}

}  // namespace

std::optional<AptOptions> parse_apt_options(const std::vector<std::string> &args, std::string *error) {
  AptOptions opts;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "--") {
      opts.operands.insert(opts.operands.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.rfind("--", 0) == 0) {
      const auto eq = arg.find('=');
      const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      const bool has_value = eq != std::string::npos;
      const std::string value = has_value ? arg.substr(eq + 1) : "";
      auto next_value = [&]() -> std::optional<std::string> {
        if (has_value) return value;
        if (i + 1 < args.size()) return args[++i];
        *error = "Command line option --" + name + " requires an argument.";
        return std::nullopt;
      };
      if (name == "quiet") {
        opts.quiet = has_value ? std::max(0, std::atoi(value.c_str())) : opts.quiet + 1;
      } else if (name == "error-on") {
        const auto v = next_value();
        if (!v) return std::nullopt;
        opts.error_on_any = *v == "any";
      } else if (name == "option") {
        const auto v = next_value();
        if (!v || !apply_assignment(opts, *v, error)) return std::nullopt;
      } else if (name == "config-file" || name == "target-release" || name == "default-release" ||
                 name == "host-architecture" || name == "arch-only" || name == "solver") {
        if (!next_value()) return std::nullopt;
      } else if (const auto it = long_flags().find(name); it != long_flags().end()) {
        const auto b = has_value ? parse_bool(value) : std::optional<bool>(true);
        if (!b) {
          *error = "Command line option --" + name + " is not understood in combination with the other options";
          return std::nullopt;
        }
        if (!it->second.empty() && !set_config(opts, it->second, *b ? "true" : "false", error)) return std::nullopt;
      } else {
        *error = "Command line option --" + name + " is not understood in combination with the other options";
        return std::nullopt;
      }
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      for (size_t j = 1; j < arg.size(); ++j) {
        const char c = arg[j];
        if (c == 'q') {
          // -q=2 sets the level; each bare q adds one.
          if (j + 1 < arg.size() && arg[j + 1] == '=') {
            opts.quiet = std::max(0, std::atoi(arg.c_str() + j + 2));
            break;
          }
          ++opts.quiet;
        } else if (c == 'o' || c == 'c' || c == 't' || c == 'a') {
          std::string value = arg.substr(j + 1);
          if (!value.empty() && value[0] == '=') value.erase(0, 1);
          if (value.empty()) {
            if (i + 1 >= args.size()) {
              *error = std::string("Command line option '") + c + "' [from -" + c + "] requires an argument.";
              return std::nullopt;
            }
            value = args[++i];
          }
          if (c == 'o' && !apply_assignment(opts, value, error)) return std::nullopt;
          break;
        } else if (const auto it = short_flags().find(c); it != short_flags().end()) {
          if (!it->second.empty()) set_config(opts, it->second, "true", error);
        } else {
          *error = std::string("Command line option '") + c + "' [from " + arg + "] is not known.";
          return std::nullopt;
        }
      }
      continue;
    }
    opts.operands.push_back(arg);
  }
  if (opts.force_yes) opts.allow_downgrades = opts.allow_change_held = true;
  return opts;
}

}  // namespace kuphost::sandbox::sim
