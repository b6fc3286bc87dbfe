// The simulated commands. Each returns the process exit code.
#pragma once

#include "invocation.h"

namespace kuphost::sandbox::sim {

int run_kubeadm(Invocation &inv);
int run_kubelet(Invocation &inv);
int run_kubectl(Invocation &inv);
int run_systemctl(Invocation &inv);

// Debian family: apt against the sandbox's pkgs.k8s.io (cluster/packages.yaml).
int run_apt_get(Invocation &inv);
int run_apt_cache(Invocation &inv);
int run_apt_mark(Invocation &inv);
int run_dpkg_query(Invocation &inv);

// RHEL family: dnf (also run as yum) and rpm.
int run_dnf(Invocation &inv);
int run_rpm(Invocation &inv);

// Stacked control planes: the real etcdctl against the node's real etcd member.
int run_etcdctl(Invocation &inv);

// The admin machine of a Windows worker: OpenSSH's ssh (running the node's
// PowerShell) and scp into the node's C: drive.
int run_ssh(Invocation &inv);
int run_scp(Invocation &inv);
// Linux nodes: the real curl, loopback hosts only (curl_exec.cpp).
int run_curl(Invocation &inv);

}  // namespace kuphost::sandbox::sim
