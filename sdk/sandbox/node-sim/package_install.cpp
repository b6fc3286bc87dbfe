#include "package_install.h"

#include <algorithm>

namespace kuphost::sandbox::sim {

void record_transaction(detail::NodeState &node, const std::vector<PackageChange> &changes, bool drop_holds) {
  for (const auto &change : changes) {
    node.packages[change.name] = change.to;
    if (drop_holds) std::erase(node.held_packages, change.name);
    if (change.name == "kubelet" || change.name == "kubeadm") {
      if (const auto unit = node.units.find("kubelet"); unit != node.units.end())
        unit->second.needs_daemon_reload = true;
    }
  }
}

std::filesystem::path package_manager_lock_path(const std::filesystem::path &root) {
  return detail::node_state_dir(root) / "package-manager.lock";
}

}  // namespace kuphost::sandbox::sim
