// What a finished apt or dnf transaction leaves on the node.
#pragma once

#include <filesystem>
#include <vector>

#include "node_state.h"
#include "package_resolver.h"

namespace kuphost::sandbox::sim {

// Sets the installed versions, so `kubeadm version` and `kubelet --version`
// report them at once; the running kubelet changes only on `systemctl
// restart kubelet`. The kubelet package ships kubelet.service and kubeadm its
// 10-kubeadm.conf drop-in, so changing either makes systemd want a
// daemon-reload. `drop_holds`: apt clears the hold of a held package it
// changes (--allow-change-held-packages), so it must be held again.
void record_transaction(detail::NodeState &node, const std::vector<PackageChange> &changes, bool drop_holds);

// Package-manager commands that change the node hold an flock on this file
// for their whole run (as apt holds dpkg's lock-frontend and dnf its rpm
// lock), so concurrent ones act one after the other on consistent state.
// Separate from node.lock, which update_node_state takes inside.
std::filesystem::path package_manager_lock_path(const std::filesystem::path &root);

}  // namespace kuphost::sandbox::sim
