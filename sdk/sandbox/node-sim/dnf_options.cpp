#include "dnf_options.h"

#include "package_sources.h"

namespace kuphost::sandbox::sim {
namespace {

bool is_true(const std::string &v) { return v == "1" || v == "True" || v == "true" || v == "yes"; }

void apply_setopt(DnfOptions &opts, const std::string &assignment) {
  const auto eq = assignment.find('=');
  const std::string key = assignment.substr(0, eq);
  const std::string value = eq == std::string::npos ? "" : assignment.substr(eq + 1);
  if (key == "disable_excludes" || key == "disableexcludes") {
    for (const auto &id : split_dnf_list(value)) opts.disable_excludes.insert(id);
  } else if (key == "exclude" || key == "excludepkgs") {
    opts.excludes = split_dnf_list(value);
  } else if (key == "cachedir") {
    opts.cache_dir = value;
  } else if (key == "assumeyes") {
    opts.assume_yes = is_true(value);
  } else if (key.find('.') != std::string::npos) {
    opts.repo_settings[key] = value;
  }
}

// Options that take a value, with what to do with it.
bool apply_valued(DnfOptions &opts, const std::string &name, const std::string &value) {
  if (name == "disableexcludes" || name == "disableexcludepkgs") {
    for (const auto &id : split_dnf_list(value)) opts.disable_excludes.insert(id);
  } else if (name == "setopt") {
    apply_setopt(opts, value);
  } else if (name == "exclude" || name == "x") {
    for (const auto &p : split_dnf_list(value)) opts.excludes.push_back(p);
  } else if (name == "disablerepo") {
    for (const auto &id : split_dnf_list(value)) opts.disabled_repos.push_back(id);
  } else if (name == "enablerepo") {
    for (const auto &id : split_dnf_list(value)) opts.enabled_repos.push_back(id);
  } else if (name == "repofrompath") {
    const auto comma = value.find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == value.size()) return false;
    opts.repos_from_path.emplace_back(value.substr(0, comma), value.substr(comma + 1));
  } else if (name == "repo" || name == "repoid") {
    opts.disabled_repos.push_back("*");
    for (const auto &id : split_dnf_list(value)) opts.enabled_repos.push_back(id);
  } else if (name != "releasever" && name != "debuglevel" && name != "d" && name != "errorlevel" && name != "e" &&
             name != "color" && name != "forcearch" && name != "downloaddir" && name != "destdir" &&
             name != "comment" && name != "advisory" && name != "setopt") {
    return false;
  }
  return true;
}

bool apply_flag(DnfOptions &opts, const std::string &name) {
  if (name == "y" || name == "assumeyes")
    opts.assume_yes = true;
  else if (name == "assumeno")
    opts.assume_no = true;
  else if (name == "q" || name == "quiet")
    opts.quiet = true;
  else if (name == "showduplicates")
    opts.show_duplicates = true;
  else if (name == "refresh")
    opts.refresh = true;
  else if (name == "C" || name == "cacheonly")
    opts.cache_only = true;
  else if (name != "v" && name != "verbose" && name != "nogpgcheck" && name != "best" && name != "nobest" &&
           name != "allowerasing" && name != "skip-broken" && name != "noplugins" && name != "nodocs" &&
           name != "downloadonly" && name != "obsoletes" && name != "noautoremove" && name != "b")
    return false;
  return true;
}

bool takes_value(const std::string &name) {
  static const std::set<std::string> kValued{"disableexcludes",
                                             "disableexcludepkgs",
                                             "setopt",
                                             "exclude",
                                             "x",
                                             "disablerepo",
                                             "enablerepo",
                                             "repo",
                                             "repoid",
                                             "repofrompath",
                                             "releasever",
                                             "debuglevel",
                                             "d",
                                             "errorlevel",
                                             "e",
                                             "color",
                                             "forcearch",
                                             "downloaddir",
                                             "destdir",
                                             "comment",
                                             "advisory"};
  return kValued.count(name) != 0;
}

}  // namespace

std::optional<DnfOptions> parse_dnf_options(const std::vector<std::string> &args, std::string *error) {
  DnfOptions opts;
  std::vector<std::string> positionals;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "--") {
      positionals.insert(positionals.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positionals.push_back(arg);
      continue;
    }
    const bool is_long = arg[1] == '-';
    const auto eq = arg.find('=');
    // -x VALUE / -xVALUE / --name=VALUE / --name VALUE; short flags may be bundled (-yq).
    std::string name = is_long ? arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2) : arg.substr(1, 1);
    if (takes_value(name)) {
      std::string value;
      if (is_long && eq != std::string::npos) {
        value = arg.substr(eq + 1);
      } else if (!is_long && arg.size() > 2) {
        value = arg.substr(2);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        *error = "argument --" + name + ": expected one argument";
        return std::nullopt;
      }
      if (!apply_valued(opts, name, value)) {
        // dnf's argparse: --repofrompath takes "repoid,path".
        *error = "argument --" + name + ": bad format: '" + value + "'";
        return std::nullopt;
      }
      continue;
    }
    if (is_long) {
      if (!apply_flag(opts, name)) {
        *error = "unrecognized arguments: " + arg;
        return std::nullopt;
      }
      continue;
    }
    for (size_t j = 1; j < arg.size(); ++j) {
      if (!apply_flag(opts, std::string(1, arg[j]))) {
        *error = "unrecognized arguments: " + arg;
        return std::nullopt;
      }
    }
  }
  if (!positionals.empty()) {
    opts.command = positionals.front();
    opts.args.assign(positionals.begin() + 1, positionals.end());
  }
  return opts;
}

}  // namespace kuphost::sandbox::sim
