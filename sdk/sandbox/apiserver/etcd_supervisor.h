// The sandbox's kubelets, as far as etcd goes: for every stacked control
// plane, runs this machine's real etcd while the node's
// etc/kubernetes/manifests/etcd.yaml exists, stops it when the manifest is
// moved away, and restarts it when the manifest's content or the data dir
// (its inode: a restore swapped it) changes. A stopped kubelet freezes its
// node's member as it is: containers outlive their kubelet, but nothing
// starts or stops without one.
//
// kuphost-apiserver is the one long-lived process of a sandbox, so it hosts
// this loop; its members die with it (PR_SET_PDEATHSIG, and
// stop_all_etcd_members on the way out).
#pragma once

#include <filesystem>

namespace kuphost::sandbox::apiserver {

// Starts the polling thread (every 200 ms) for the sandbox's stacked
// control planes; no thread when there are none. Call once.
void start_etcd_supervisor(const std::filesystem::path &sandbox_dir);

// SIGTERM to every running member, SIGKILL after a grace period, reaping
// them. Async-signal-safe: the server's SIGTERM handler calls it.
void stop_all_etcd_members();

}  // namespace kuphost::sandbox::apiserver
