// apt-get: update, install, upgrade (and clean as a no-op) against the
// sandbox's pkgs.k8s.io; exit codes as apt's: 100 for errors, 1 for an
// aborted prompt.
#include "apt_get.h"

#include <ostream>
#include <set>

#include "apt_output.h"
#include "apt_view.h"
#include "commands.h"
#include "fs_util.h"
#include "node_state.h"
#include "package_install.h"

namespace kuphost::sandbox::sim {
namespace {

void usage(Invocation &inv) {
  inv.out << apt_version_line(detail::read_node_state(inv.root).distro) << "\n"
          << "Usage: apt-get [options] command\n"
             "       apt-get [options] install|remove pkg1 [pkg2 ...]\n\n"
             "In the kuphost sandbox apt-get simulates update, install and upgrade against\n"
             "the sandbox's pkgs.k8s.io (cluster/packages.yaml).\n";
}

}  // namespace

int run_apt_get(Invocation &inv) {
  for (const auto &arg : inv.args) {
    if (arg == "-v" || arg == "--version") {
      inv.out << apt_version_line(detail::read_node_state(inv.root).distro) << "\n";
      return 0;
    }
    if (arg == "-h" || arg == "--help") {
      usage(inv);
      return 0;
    }
  }
  std::string error;
  const auto opts = parse_apt_options(inv.args, &error);
  if (!opts) {
    inv.err << "E: " << error << "\n";
    return kAptErrorExit;
  }
  if (opts->operands.empty()) {
    usage(inv);
    return 1;
  }
  const std::string &op = opts->operands.front();
  // apt-get update locks only its lists directory; with private lists
  // (-o Dir::State::Lists=) the node's package state is not locked at all.
  if (op == "update" && apt_index(inv, *opts).lists_dir) return apt_get_update(inv, *opts);
  detail::FileLock lock(package_manager_lock_path(inv.root));
  if (op == "update") return apt_get_update(inv, *opts);
  if (op == "install") return apt_get_install(inv, *opts);
  if (op == "upgrade") return apt_get_upgrade(inv, *opts);
  if (op == "clean" || op == "autoclean" || op == "auto-clean") return 0;  // no archives are kept
  static const std::set<std::string> kUnsimulated{
      "remove",    "purge",   "autoremove", "auto-remove", "dist-upgrade", "full-upgrade", "dselect-upgrade",
      "build-dep", "satisfy", "check",      "source",      "download",     "changelog",    "indextargets"};
  if (kUnsimulated.count(op)) {
    inv.err << "E: the kuphost sandbox does not simulate 'apt-get " << op << "'\n";
    return kAptErrorExit;
  }
  inv.err << "E: Invalid operation " << op << "\n";
  return kAptErrorExit;
}

}  // namespace kuphost::sandbox::sim
