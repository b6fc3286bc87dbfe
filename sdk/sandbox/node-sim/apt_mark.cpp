// apt-mark hold / unhold / showhold on node.yaml `heldPackages`, with
// apt-mark's messages ("kubeadm set on hold.", "Canceled hold on kubeadm.").
#include <algorithm>
#include <ostream>

#include "apt_options.h"
#include "apt_output.h"
#include "apt_view.h"
#include "commands.h"
#include "fs_util.h"
#include "package_install.h"

namespace kuphost::sandbox::sim {
namespace {

int change_holds(Invocation &inv, std::ostream &out, const std::vector<std::string> &names, bool hold) {
  const AptView view = load_apt_view(inv);
  std::vector<std::string> located;
  bool missing = false;
  for (const auto &name : names) {
    if (view.known(name)) {
      located.push_back(name);
    } else {
      inv.err << "E: Unable to locate package " << name << "\n";
      missing = true;
    }
  }
  if (located.empty()) {
    inv.err << "E: No packages found\n";
    return kAptErrorExit;
  }
  detail::update_node_state(inv.root, [&](detail::NodeState &node) {
    for (const auto &name : located) {
      const bool held = node.is_held(name);
      if (hold && held) out << name << " was already set on hold.\n";
      if (hold && !held) {
        node.held_packages.push_back(name);
        out << name << " set on hold.\n";
      }
      if (!hold && held) {
        std::erase(node.held_packages, name);
        out << "Canceled hold on " << name << ".\n";
      }
      if (!hold && !held) out << name << " was already not on hold.\n";
    }
    std::sort(node.held_packages.begin(), node.held_packages.end());
    return true;
  });
  return missing ? kAptErrorExit : 0;
}

int show_holds(Invocation &inv, std::ostream &out, const std::vector<std::string> &names) {
  std::vector<std::string> held = detail::read_node_state(inv.root).held_packages;
  std::sort(held.begin(), held.end());
  for (const auto &name : held)
    if (names.empty() || std::find(names.begin(), names.end(), name) != names.end()) out << name << "\n";
  return 0;
}

}  // namespace

int run_apt_mark(Invocation &inv) {
  std::string error;
  const auto opts = parse_apt_options(inv.args, &error);
  if (!opts) {
    inv.err << "E: " << error << "\n";
    return kAptErrorExit;
  }
  AptOutput output(inv, opts->quiet);
  if (opts->operands.empty()) {
    inv.out << apt_version_line(detail::read_node_state(inv.root).distro) << "\n"
            << "Usage: apt-mark [options] {auto|manual} pkg1 [pkg2 ...]\n\n"
               "In the kuphost sandbox apt-mark simulates hold, unhold and showhold.\n";
    return 1;
  }
  const std::string &op = opts->operands.front();
  const std::vector<std::string> names(opts->operands.begin() + 1, opts->operands.end());
  if (op == "hold" || op == "unhold") {
    if (names.empty()) {
      inv.err << "E: No packages found\n";
      return kAptErrorExit;
    }
    detail::FileLock lock(package_manager_lock_path(inv.root));
    return change_holds(inv, output.out(), names, op == "hold");
  }
  if (op == "showhold" || op == "showheld") return show_holds(inv, output.out(), names);
  inv.err << "E: the kuphost sandbox simulates only apt-mark hold, unhold and showhold, not '" << op << "'\n";
  return kAptErrorExit;
}

}  // namespace kuphost::sandbox::sim
