// dpkg-query -W [-f=FORMAT] [PATTERN...]: the installed packages (node.yaml)
// in dpkg's database order (by name), formatted as dpkg-query 1.21/1.22 does.
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <ostream>

#include "commands.h"
#include "node_state.h"
#include "package_catalog.h"
#include "package_universe.h"

namespace kuphost::sandbox::sim {
namespace {

constexpr int kNotFoundExit = 1, kUsageExit = 2;

struct DpkgPackage {
  std::string name, version;  // version: the full deb version
  bool held = false;
};

std::string field(const DpkgPackage &p, const std::string &name) {
  if (name == "Package" || name == "binary:Package" || name == "binary:Summary") return p.name;
  if (name == "Version") return p.version;
  if (name == "Architecture") return "amd64";
  if (name == "Status") return std::string(p.held ? "hold" : "install") + " ok installed";
  if (name == "db:Status-Abbrev") return p.held ? "hi " : "ii ";
  if (name == "db:Status-Want") return p.held ? "hold" : "install";
  if (name == "db:Status-Status") return "installed";
  if (name == "db:Status-Eflag") return "ok";
  if (name == "Maintainer") return "Kubernetes Authors <dev@kubernetes.io>";
  return "";  // dpkg-query prints unknown fields as empty
}

// dpkg-query's --showformat: ${Field} or ${Field;width} (negative: left
// aligned) and the escapes \n, \t and \\.
std::string render(const std::string &format, const DpkgPackage &p) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '\\' && i + 1 < format.size()) {
      const char e = format[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      continue;
    }
    const auto close = format.find('}', i);
    if (c != '$' || i + 1 >= format.size() || format[i + 1] != '{' || close == std::string::npos) {
      out += c;
      continue;
    }
    std::string spec = format.substr(i + 2, close - i - 2);
    i = close;
    int width = 0;
    if (const auto semicolon = spec.find(';'); semicolon != std::string::npos) {
      width = std::atoi(spec.c_str() + semicolon + 1);
      spec.resize(semicolon);
    }
    const std::string value = field(p, spec);
    const size_t pad = static_cast<size_t>(std::abs(width)) > value.size() ? std::abs(width) - value.size() : 0;
    out += width < 0 ? value + std::string(pad, ' ') : std::string(pad, ' ') + value;
  }
  return out;
}

}  // namespace

int run_dpkg_query(Invocation &inv) {
  std::string format = "${binary:Package}\t${Version}\n";
  bool show = false;
  std::vector<std::string> patterns;
  for (size_t i = 0; i < inv.args.size(); ++i) {
    const std::string &arg = inv.args[i];
    auto value_of = [&](const std::string &option) -> std::optional<std::string> {
      if (arg.size() > option.size() && arg.rfind(option, 0) == 0)
        return arg.substr(option.size() + (arg[option.size()] == '=' ? 1 : 0));
      if (arg == option && i + 1 < inv.args.size()) return inv.args[++i];
      return std::nullopt;
    };
    if (arg == "-W" || arg == "--show") {
      show = true;
    } else if (arg.rfind("--showformat", 0) == 0 || arg.rfind("-f", 0) == 0) {
      const auto v = value_of(arg.rfind("--showformat", 0) == 0 ? "--showformat" : "-f");
      if (!v) {
        inv.err << "dpkg-query: error: --showformat needs a value\n";
        return kUsageExit;
      }
      format = *v;
    } else if (arg.rfind("--admindir", 0) == 0 || arg.rfind("--root", 0) == 0 || arg.rfind("--instdir", 0) == 0) {
      // The node's own database is the only one; a value in the next argument is consumed.
      if (arg.find('=') == std::string::npos) ++i;
    } else if (arg.size() > 1 && arg[0] == '-') {
      inv.err << "dpkg-query: error: unknown option " << arg
              << " (the kuphost sandbox simulates dpkg-query -W)\n\n"
                 "Use --help for help about querying packages.\n";
      return kUsageExit;
    } else {
      patterns.push_back(arg);
    }
  }
  if (!show) {
    inv.err << "dpkg-query: error: need an action option\n\nUse --help for help about querying packages.\n";
    return kUsageExit;
  }

  const detail::NodeState node = detail::read_node_state(inv.root);
  const PackageFormat deb = deb_format(detail::read_package_universe(inv.sandbox_dir));
  int code = 0;
  for (const auto &pattern : patterns) {
    const bool any = std::any_of(node.packages.begin(), node.packages.end(),
                                 [&](const auto &p) { return glob_match(pattern, p.first); });
    if (!any) {
      inv.err << "dpkg-query: no packages found matching " << pattern << "\n";
      code = kNotFoundExit;
    }
  }
  for (const auto &installed : node.packages) {  // std::map: dpkg's order by name
    const std::string &name = installed.first;
    const bool selected = patterns.empty() || std::any_of(patterns.begin(), patterns.end(), [&](const auto &pattern) {
                            return glob_match(pattern, name);
                          });
    if (selected) inv.out << render(format, {name, deb.full(installed.second), node.is_held(name)});
  }
  return code;
}

}  // namespace kuphost::sandbox::sim
