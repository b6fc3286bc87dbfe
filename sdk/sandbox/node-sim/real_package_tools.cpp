#include "exec_tool.h"
#include "real_package_tools.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "fs_util.h"
#include "real_packages.h"
#include "tool_process.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::read_file_if_exists;

bool starts_with_dir_option(std::string_view name) {
  return name.size() >= 3 && (name.substr(0, 3) == "Dir" || name.substr(0, 3) == "dir");
}

// "Dir::Etc::SourceList=/var/lib/x" -> "Dir::Etc::SourceList=<root>/var/lib/x":
// the caller passes node paths, and apt takes absolute Dir values as they are.
std::string map_apt_option(const std::string &option, const fs::path &root) {
  const auto eq = option.find('=');
  if (eq == std::string::npos || !starts_with_dir_option(option)) return option;
  const std::string value = option.substr(eq + 1);
  if (value.empty() || value.front() != '/' || value.rfind("/dev/null", 0) == 0) return option;
  return option.substr(0, eq + 1) + (root / value.substr(1)).string();
}

std::vector<std::string> apt_args(const Invocation &inv) {
  std::vector<std::string> out;
  for (size_t i = 0; i < inv.args.size(); ++i) {
    const std::string &a = inv.args[i];
    if ((a == "-o" || a == "--option") && i + 1 < inv.args.size()) {
      out.push_back(a);
      out.push_back(map_apt_option(inv.args[++i], inv.root));
    } else if (a.rfind("-o", 0) == 0 && a.size() > 2 && a[2] != '-') {
      out.push_back("-o" + map_apt_option(a.substr(2), inv.root));
    } else if (a.rfind("--option=", 0) == 0) {
      out.push_back("--option=" + map_apt_option(a.substr(9), inv.root));
    } else {
      out.push_back(a);
    }
  }
  return out;
}

bool has_prefix_arg(const std::vector<std::string> &args, std::string_view prefix) {
  for (const auto &a : args)
    if (a.rfind(prefix, 0) == 0) return true;
  return false;
}

// apt.conf names the root's absolute path; rewrite it when the sandbox moved.
void refresh_apt_config(const fs::path &root) {
  const std::string wanted = detail::apt_config(root);
  if (read_file_if_exists(detail::apt_config_path(root)) != wanted)
    detail::write_file_atomic(detail::apt_config_path(root), wanted, 0644);
}

struct RealCommand {
  std::vector<std::string> argv;  // argv[0] is the real tool's absolute path
  std::vector<std::string> env;
};

RealCommand real_command(const Invocation &inv) {
  const std::string &c = inv.command;
  const std::string root = inv.root.string();
  RealCommand r;
  if (c == "apt-get" || c == "apt-cache" || c == "apt-mark") {
    refresh_apt_config(inv.root);
    r.argv = {c};
    for (auto &a : apt_args(inv)) r.argv.push_back(std::move(a));
    r.env = detail::apt_environment(inv.root);
  } else if (c == "dpkg-query") {
    r.argv = {c};
    if (!has_prefix_arg(inv.args, "--admindir")) r.argv.push_back("--admindir=" + root + "/var/lib/dpkg");
    r.argv.insert(r.argv.end(), inv.args.begin(), inv.args.end());
  } else if (c == "dnf" || c == "yum") {
    detail::write_rpm_home(inv.root);
    // RHEL 8+ ships yum as a name for dnf.
    r.argv = {"dnf", "--installroot=" + root};
    if (!has_prefix_arg(inv.args, "--releasever")) r.argv.push_back("--releasever=9");
    r.argv.insert(r.argv.end(), inv.args.begin(), inv.args.end());
    r.env = detail::rpm_environment(inv.root);
  } else {  // rpm
    detail::write_rpm_home(inv.root);
    r.argv = {"rpm", "--root=" + root};
    r.argv.insert(r.argv.end(), inv.args.begin(), inv.args.end());
    r.env = detail::rpm_environment(inv.root);
  }
  r.env.push_back(std::string("PATH=") + detail::system_path());
  return r;
}

}  // namespace

bool is_package_tool(std::string_view command) {
  for (const char *tool : {"apt-get", "apt-cache", "apt-mark", "dpkg-query", "dnf", "yum", "rpm"})
    if (command == tool) return true;
  return false;
}

int exec_real_package_tool(Invocation &inv) {
  RealCommand command = real_command(inv);
  const fs::path program = detail::find_system_tool(command.argv[0]);
  if (program.empty()) {
    inv.err << inv.command << ": the real " << command.argv[0] << " is not installed on this machine (" <<
        "a --packages real sandbox runs it); install it with scripts/install-deps.sh\n";
    return 127;
  }
  return exec_real_tool(inv, inv.command, program, std::move(command.argv), detail::environment_with(command.env));
}

}  // namespace kuphost::sandbox::sim
