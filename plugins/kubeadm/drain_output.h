//===- kubeadm/drain_output.h - what kubectl drain says went wrong --------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_DRAIN_OUTPUT_H
#define KUPHOST_PLUGINS_KUBEADM_DRAIN_OUTPUT_H

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost_plugins::kubeadm {

// The pods kubectl drain could not evict, "NS/NAME", from its messages
// `error when evicting pods/"NAME" -n "NS"` (a PodDisruptionBudget's 429s).
inline std::vector<std::string> pods_drain_could_not_evict(std::string_view output) {
  std::vector<std::string> pods;
  constexpr std::string_view kPod = "pods/\"", kNs = "\" -n \"";
  for (size_t at = output.find(kPod); at != std::string_view::npos; at = output.find(kPod, at + 1)) {
    const size_t name_begin = at + kPod.size();
    const size_t name_end = output.find('"', name_begin);
    if (name_end == std::string_view::npos || output.compare(name_end, kNs.size(), kNs) != 0) continue;
    const size_t ns_begin = name_end + kNs.size();
    const size_t ns_end = output.find('"', ns_begin);
    if (ns_end == std::string_view::npos) continue;
    const std::string pod = std::string(output.substr(ns_begin, ns_end - ns_begin)) + "/" +
                            std::string(output.substr(name_begin, name_end - name_begin));
    if (std::find(pods.begin(), pods.end(), pod) == pods.end()) pods.push_back(pod);
  }
  return pods;
}

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_DRAIN_OUTPUT_H
