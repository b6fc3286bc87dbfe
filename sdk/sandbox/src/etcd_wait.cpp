// etcd_member_status / wait_for_etcd_member (kuphost/sandbox/etcd.h).
#include <thread>

#include "etcd_health.h"
#include "etcd_members.h"
#include "fs_util.h"
#include "kuphost/sandbox/etcd.h"

namespace kuphost::sandbox {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kProbeInterval = 100ms;

std::string last_line(const fs::path &log) {
  std::string text = detail::read_file_if_exists(log).value_or("");
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const auto nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

}  // namespace

EtcdMemberStatus etcd_member_status(const fs::path &sandbox_dir, const std::string &node) {
  EtcdMemberStatus status;
  try {
    const auto file = detail::read_sandbox_file(sandbox_dir);
    if (const auto *n = file.find(node)) {
      status.client_port = n->etcd_client_port;
      status.peer_port = n->etcd_peer_port;
    }
    if (const auto pid = detail::running_etcd_member_pid(sandbox_dir, node)) {
      status.running = true;
      status.pid = *pid;
    }
  } catch (const std::exception &) {
  }
  return status;
}

bool wait_for_etcd_member(const fs::path &sandbox_dir, const std::string &node, std::chrono::milliseconds timeout,
                          std::string *error) {
  std::string ignored;
  if (!error) error = &ignored;
  try {
    const fs::path dir = fs::absolute(sandbox_dir).lexically_normal();
    const auto status = etcd_member_status(dir, node);
    if (status.client_port == 0) {
      *error = "node " + node + " of " + dir.string() + " has no etcd member (not a stacked control plane?)";
      return false;
    }
    const fs::path pki = dir / "nodes" / node / "root/etc/kubernetes/pki/etcd";
    const detail::EtcdClientFiles client{pki / "ca.crt", pki / "healthcheck-client.crt", pki / "healthcheck-client.key"};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string why;
    for (;;) {
      if (detail::etcd_reports_healthy(status.client_port, client, &why)) return true;
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(kProbeInterval);
    }
    *error = "etcd member " + node + " was not healthy after " + std::to_string(timeout.count()) +
             " ms (last probe: " + why + "); " + detail::etcd_member_log_path(dir, node).string() + ": " +
             last_line(detail::etcd_member_log_path(dir, node));
  } catch (const std::exception &e) {
    *error = e.what();
  }
  return false;
}

}  // namespace kuphost::sandbox
