// dnf (and yum, the same program on RHEL 8+): list, install, upgrade,
// downgrade, makecache and clean against the sandbox's pkgs.k8s.io, with
// dnf 4.14's messages and exit codes.
#include "dnf.h"

#include <ostream>
#include <set>

#include "commands.h"
#include "dnf_view.h"
#include "fs_util.h"
#include "node_state.h"
#include "package_install.h"

namespace kuphost::sandbox::sim {
namespace {

void usage(Invocation &inv, std::ostream &os) { os << "usage: " << inv.command << " [options] COMMAND\n"; }

int makecache(Invocation &inv, const DnfOptions &opts) {
  if (!load_dnf_view(inv, opts)) return kDnfErrorExit;
  if (!opts.quiet) inv.out << "Metadata cache created.\n";
  return 0;
}

// Dropping the cached metadata makes the next command fetch it again.
int clean(Invocation &inv, const DnfOptions &opts) {
  static const std::set<std::string> kWhat{"all", "metadata", "expire-cache", "dbcache", "packages"};
  if (opts.args.empty() || !kWhat.count(opts.args.front())) {
    usage(inv, inv.err);
    inv.err << "Command line error: argument type: invalid choice: '" << (opts.args.empty() ? "" : opts.args.front())
            << "' (choose from 'metadata', 'packages', 'dbcache', 'expire-cache', 'all')\n";
    return kDnfErrorExit;
  }
  const std::string what = opts.args.front();
  size_t removed = 0;
  detail::update_node_state(inv.root, [&](detail::NodeState &node) {
    if (what == "packages") return false;
    removed = what == "expire-cache" ? 0 : 7 * node.dnf_cache.size();
    node.dnf_cache.clear();
    return true;
  });
  if (what == "expire-cache") inv.out << "Cache was expired\n";
  inv.out << removed << (removed == 1 ? " file removed\n" : " files removed\n");
  return 0;
}

}  // namespace

int run_dnf(Invocation &inv) {
  for (const auto &arg : inv.args) {
    if (arg == "--version") {
      inv.out << "4.14.0\n";
      return 0;
    }
    if (arg == "-h" || arg == "--help") {
      usage(inv, inv.out);
      inv.out << "\nIn the kuphost sandbox " << inv.command
              << " simulates list, install, upgrade, downgrade, makecache and clean\n"
                 "against the sandbox's pkgs.k8s.io (cluster/packages.yaml).\n";
      return 0;
    }
  }
  std::string error;
  const auto opts = parse_dnf_options(inv.args, &error);
  if (!opts) {
    usage(inv, inv.err);
    inv.err << "Command line error: " << error << "\n";
    return kDnfErrorExit;
  }
  const std::string &command = opts->command;
  if (command.empty()) {
    usage(inv, inv.err);
    inv.err << "Error: No command specified\n";
    return kDnfErrorExit;
  }
  // dnf list locks only the metadata cache; with another cachedir nothing
  // of the node's is locked.
  if ((command == "list" || command == "ls") && opts->cache_dir) return dnf_list(inv, *opts);
  detail::FileLock lock(package_manager_lock_path(inv.root));
  if (command == "list" || command == "ls") return dnf_list(inv, *opts);
  if (command == "install" || command == "in") return dnf_install(inv, *opts, DnfInstallMode::kInstall);
  if (command == "upgrade" || command == "update" || command == "up")
    return dnf_install(inv, *opts, DnfInstallMode::kUpgrade);
  if (command == "downgrade" || command == "dg") return dnf_install(inv, *opts, DnfInstallMode::kDowngrade);
  if (command == "makecache" || command == "mc") return makecache(inv, *opts);
  if (command == "clean") return clean(inv, *opts);
  static const std::set<std::string> kUnsimulated{
      "remove",    "erase",   "rm",         "info",        "search",   "repolist",  "repoinfo",   "check-update",
      "reinstall", "history", "autoremove", "distro-sync", "provides", "repoquery", "versionlock"};
  if (kUnsimulated.count(command)) {
    inv.err << "Error: the kuphost sandbox does not simulate '" << inv.command << " " << command << "'\n";
    return kDnfErrorExit;
  }
  inv.err << "No such command: " << command << ". Please use /usr/bin/" << inv.command << " --help\n"
          << "It could be a DNF plugin command, try: \"dnf install 'dnf-command(" << command << ")'\"\n";
  return kDnfErrorExit;
}

}  // namespace kuphost::sandbox::sim
