#include "snapshot_source.h"

#include <system_error>

#include "snapshot/gateway_snapshot.h"
#include "snapshot/snapshot_error.h"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {

void remove_quietly(const std::filesystem::path &file) {
  std::error_code ignored;
  std::filesystem::remove(file, ignored);
  std::filesystem::remove(file.string() + ".part", ignored);
}

// The running etcd container's id, or "" when crictl finds none.
std::string etcd_container(CommandRunner &runner) {
  Command ps;
  ps.argv = {"crictl", "ps", "--name", "etcd", "--state", "Running", "-q"};
  ps.read_only = true;
  ps.timeout = std::chrono::seconds(30);
  const CommandResult r = runner.run(ps);
  if (!r.succeeded()) return {};
  const auto ids = words_of(r.out);
  return ids.empty() ? std::string() : ids.front();
}

// The container sees only the data directory and etcd's PKI (kubeadm's
// hostPath volumes, at the same paths), so etcdctl writes into the data
// directory and the file moves out afterwards.
void save_with_crictl(CommandRunner &runner, const std::string &container, const SnapshotRequest &request,
                      const EtcdMember &etcd, const EtcdClientTls &member, const PathResolver &resolve) {
  const std::string inside = etcd.data_dir + "/kuphost-snapshot.db";
  remove_quietly(resolve(inside));
  Command exec;
  exec.argv = {"crictl", "exec", container};
  const auto inner = etcdctl_snapshot_save_argv(request.etcdctl, member, inside);
  exec.argv.insert(exec.argv.end(), inner.begin(), inner.end());
  exec.env = {"ETCDCTL_API=3"};
  exec.timeout = request.etcdctl.dial_timeout + request.etcdctl.command_timeout + std::chrono::seconds(30);
  const CommandResult r = runner.run(exec);
  if (!r.succeeded())
    throw SnapshotError("crictl exec " + container + " etcdctl snapshot save failed: " +
                        last_line_of(r.err.empty() ? r.out : r.err));
  const auto from = resolve(inside), to = resolve(request.node_file);
  std::error_code error;
  std::filesystem::rename(from, to, error);
  if (error) {  // another filesystem: copy, then drop the original
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(from);
  }
}

EtcdClientTls resolved(const EtcdClientTls &member, const PathResolver &resolve) {
  EtcdClientTls out = member;
  out.ca_cert = resolve(member.ca_cert.string());
  if (!member.client_cert.empty()) out.client_cert = resolve(member.client_cert.string());
  if (!member.client_key.empty()) out.client_key = resolve(member.client_key.string());
  return out;
}

}  // namespace

const char *method_name(SnapshotMethod method) {
  switch (method) {
    case SnapshotMethod::kEtcdctl: return "etcdctl";
    case SnapshotMethod::kCrictl: return "crictl exec etcdctl";
    case SnapshotMethod::kGateway: return "etcd v3 JSON gateway";
  }
  return "?";
}

std::optional<SnapshotStatus> snapshot_status(CommandRunner &runner, const std::string &node_file) {
  // etcdctl 3.6 dropped `snapshot status`; etcdutl (3.5+) has it.
  for (const char *program : {"etcdutl", "etcdctl"}) {
    try {
      return read_snapshot_status(runner, program, node_file);
    } catch (const ProgramNotFound &) {
      continue;
    }
  }
  return std::nullopt;
}

SnapshotOutcome take_snapshot(CommandRunner &runner, const EtcdMember &member, const SnapshotRequest &request,
                              const PathResolver &resolve) {
  const std::filesystem::path host_file = resolve(request.node_file);
  SnapshotOutcome outcome;
  bool etcdctl_missing = false, crictl_missing = !member.stacked || !request.allow_crictl;
  std::string container;
  for (const auto &endpoint : member.endpoints) {
    std::vector<SnapshotMethod> ways;
    if (!etcdctl_missing) ways.push_back(SnapshotMethod::kEtcdctl);
    if (!crictl_missing) ways.push_back(SnapshotMethod::kCrictl);
    if (request.allow_gateway) ways.push_back(SnapshotMethod::kGateway);
    for (const SnapshotMethod way : ways) {
      try {
        switch (way) {
          case SnapshotMethod::kEtcdctl:
            save_snapshot_with_etcdctl(runner, request.etcdctl, endpoint, request.node_file, host_file);
            break;
          case SnapshotMethod::kCrictl:
            if (container.empty()) container = etcd_container(runner);
            if (container.empty()) {
              crictl_missing = true;
              outcome.notes.push_back("crictl: no running etcd container");
              continue;
            }
            save_with_crictl(runner, container, request, member, endpoint, resolve);
            break;
          case SnapshotMethod::kGateway:
            save_snapshot_via_gateway(resolved(endpoint, resolve), host_file);
            break;
        }
        outcome.verified = verify_snapshot_trailer(host_file);
        outcome.method = way;
        outcome.endpoint = endpoint.endpoint;
        try {
          outcome.status = snapshot_status(runner, request.node_file);
        } catch (const SnapshotError &e) {
          // The trailer already proved the bytes; status is for the log.
          outcome.notes.push_back(std::string("snapshot status: ") + e.what());
        }
        return outcome;
      } catch (const ProgramNotFound &) {
        (way == SnapshotMethod::kEtcdctl ? etcdctl_missing : crictl_missing) = true;
        outcome.notes.push_back(std::string(way == SnapshotMethod::kEtcdctl ? "etcdctl" : "crictl") +
                                ": not installed on this node");
      } catch (const std::exception &e) {
        remove_quietly(host_file);
        outcome.notes.push_back(std::string(method_name(way)) + " from " + endpoint.endpoint + ": " + e.what());
      }
    }
  }
  throw SnapshotError("no verified etcd snapshot: " + join(outcome.notes, "; "));
}

}  // namespace kuphost_plugins::etcd_backup
