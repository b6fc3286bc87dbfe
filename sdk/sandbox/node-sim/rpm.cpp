// rpm -q [--qf FORMAT] NAME... and rpm -qa: the installed packages
// (node.yaml) with the rpm release from cluster/packages.yaml, as rpm 4.16.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <ostream>

#include "commands.h"
#include "node_state.h"
#include "package_catalog.h"
#include "package_universe.h"

namespace kuphost::sandbox::sim {
namespace {

constexpr int kFailedExit = 1;

struct RpmPackage {
  std::string name, version, release, arch;
};

std::optional<std::string> tag(const RpmPackage &p, std::string name) {
  for (auto &c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name == "NAME") return p.name;
  if (name == "VERSION") return p.version;
  if (name == "RELEASE") return p.release;
  if (name == "ARCH") return p.arch;
  if (name == "EPOCH") return std::string("(none)");
  if (name == "EPOCHNUM") return std::string("0");
  if (name == "NVR") return p.name + "-" + p.version + "-" + p.release;
  if (name == "NEVR") return p.name + "-" + p.version + "-" + p.release;
  if (name == "NVRA" || name == "NEVRA") return p.name + "-" + p.version + "-" + p.release + "." + p.arch;
  if (name == "SUMMARY") return p.name;
  return std::nullopt;
}

// rpm's --queryformat: %{TAG}, %-20{TAG}, %20{TAG}, %% and the escapes \n, \t, \\.
// nullopt + *error for an unknown tag, which rpm rejects before querying.
std::optional<std::string> render(const std::string &format, const RpmPackage &p, std::string *error) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '\\' && i + 1 < format.size()) {
      const char e = format[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      continue;
    }
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    const auto open = format.find('{', i), close = format.find('}', i);
    if (open == std::string::npos || close == std::string::npos || close < open) {
      *error = "incorrect format: missing {";
      return std::nullopt;
    }
    const int width = std::atoi(format.substr(i + 1, open - i - 1).c_str());
    const std::string name = format.substr(open + 1, close - open - 1);
    const auto value = tag(p, name);
    if (!value) {
      *error = "incorrect format: unknown tag: \"" + name + "\"";
      return std::nullopt;
    }
    const size_t pad = static_cast<size_t>(std::abs(width)) > value->size() ? std::abs(width) - value->size() : 0;
    out += width < 0 ? *value + std::string(pad, ' ') : std::string(pad, ' ') + *value;
    i = close;
  }
  return out;
}

// rpm -q NAME also accepts NAME-VERSION and NAME-VERSION-RELEASE.
bool names(const std::string &query, const RpmPackage &p) {
  return query == p.name || query == p.name + "-" + p.version || query == p.name + "-" + p.version + "-" + p.release ||
         query == p.name + "-" + p.version + "-" + p.release + "." + p.arch;
}

}  // namespace

int run_rpm(Invocation &inv) {
  bool query = false, all = false;
  std::string format = "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n";
  std::vector<std::string> queries;
  for (size_t i = 0; i < inv.args.size(); ++i) {
    const std::string &arg = inv.args[i];
    if (arg == "--qf" || arg == "--queryformat") {
      if (i + 1 >= inv.args.size()) {
        inv.err << "rpm: " << arg << ": missing argument\n";
        return kFailedExit;
      }
      format = inv.args[++i];
    } else if (arg.rfind("--qf=", 0) == 0 || arg.rfind("--queryformat=", 0) == 0) {
      format = arg.substr(arg.find('=') + 1);
    } else if (arg == "--root" || arg == "--dbpath" || arg == "-r") {
      ++i;  // the node's own database is the only one
    } else if (arg.rfind("--root=", 0) == 0 || arg.rfind("--dbpath=", 0) == 0 || arg == "--nosignature" ||
               arg == "--nodigest") {
    } else if (arg == "--query" || arg == "--all") {
      (arg == "--all" ? all : query) = true;
    } else if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-' &&
               arg.find_first_not_of("qa", 1) == std::string::npos) {
      query = query || arg.find('q') != std::string::npos;
      all = all || arg.find('a') != std::string::npos;
    } else if (arg.size() > 1 && arg[0] == '-') {
      inv.err << "rpm: " << arg << ": unknown option (the kuphost sandbox simulates rpm -q and -qa)\n";
      return kFailedExit;
    } else {
      queries.push_back(arg);
    }
  }
  if (!query) {
    inv.err << "rpm: the kuphost sandbox simulates only queries (rpm -q, rpm -qa)\n";
    return kFailedExit;
  }
  if (!all && queries.empty()) {
    inv.err << "rpm: no arguments given for query\n";
    return kFailedExit;
  }

  const detail::NodeState node = detail::read_node_state(inv.root);
  const PackageFormat rpm = rpm_format(detail::read_package_universe(inv.sandbox_dir));
  std::vector<RpmPackage> installed;
  for (const auto &[name, version] : node.packages) installed.push_back({name, version, rpm.revision, rpm.arch});

  std::string error;
  int failures = 0;
  auto print = [&](const RpmPackage &p) {
    const auto text = render(format, p, &error);
    if (!text) return false;
    inv.out << *text;
    return true;
  };
  if (all) {
    for (const auto &p : installed)
      if (!print(p)) break;
  }
  for (const auto &q : queries) {
    if (!error.empty()) break;
    bool found = false;
    for (const auto &p : installed)
      if (names(q, p)) found = print(p) || found;
    if (!found && error.empty()) {
      inv.out << "package " << q << " is not installed\n";
      ++failures;
    }
  }
  if (!error.empty()) {
    inv.err << "error: " << error << "\n";
    return kFailedExit;
  }
  return std::min(failures, 255);
}

}  // namespace kuphost::sandbox::sim
