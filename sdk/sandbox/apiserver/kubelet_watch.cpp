#include "kubelet_watch.h"

#include <exception>

#include "node_state.h"

namespace kuphost::sandbox::apiserver {

bool KubeletWatch::active() {
  try {
    const auto state = detail::read_node_state(root_);
    const auto it = state.units.find("kubelet");
    active_ = it != state.units.end() && it->second.state == "active";
  } catch (const std::exception &) {
  }
  return active_;
}

}  // namespace kuphost::sandbox::apiserver
