// The supervisors' view of a node's kubelet (node.yaml units.kubelet): its
// static Pods start, stop and restart only while it is active. Containers
// outlive their kubelet, so a stopped one freezes them as they are.
#pragma once

#include <filesystem>

namespace kuphost::sandbox::apiserver {

class KubeletWatch {
 public:
  explicit KubeletWatch(std::filesystem::path root = {}) : root_(std::move(root)) {}

  // Reads node.yaml now; keeps the last answer while it cannot be read (a
  // test editing it).
  bool active();

 private:
  std::filesystem::path root_;
  bool active_ = true;
};

}  // namespace kuphost::sandbox::apiserver
