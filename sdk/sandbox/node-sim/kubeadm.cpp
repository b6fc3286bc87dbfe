// kubeadm: dispatches `version` and `upgrade plan|apply|node`.
#include "kubeadm.h"

#include <ostream>

#include "commands.h"

namespace kuphost::sandbox::sim {

int run_kubeadm(Invocation &inv) {
  const auto &args = inv.args;
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    inv.out << "Usage:\n  kubeadm [command]\n\nThe kuphost sandbox simulates: version, upgrade plan, upgrade apply, "
               "upgrade node.\n";
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "version") return kubeadm_version(inv, rest);
  if (args[0] == "upgrade") {
    if (rest.empty()) {
      inv.out << "Upgrade your cluster smoothly to a newer version with this command\n\nUsage:\n  kubeadm upgrade "
                 "[flags]\n  kubeadm upgrade [command]\n\nAvailable Commands:\n  apply       Upgrade your "
                 "Kubernetes cluster to the specified version\n  node        Upgrade commands for a node in the "
                 "cluster\n  plan        Check which versions are available to upgrade to and validate whether "
                 "your current cluster is upgradeable.\n";
      return 0;
    }
    const std::vector<std::string> sub_args(rest.begin() + 1, rest.end());
    if (rest[0] == "plan") return kubeadm_upgrade_plan(inv, sub_args);
    if (rest[0] == "apply") return kubeadm_upgrade_apply(inv, sub_args);
    if (rest[0] == "node") return kubeadm_upgrade_node(inv, sub_args);
    return kubeadm_fail(inv, "unknown command \"" + rest[0] + "\" for \"kubeadm upgrade\"");
  }
  return kubeadm_fail(inv, "unknown command \"" + args[0] + "\" for \"kubeadm\"");
}

}  // namespace kuphost::sandbox::sim
