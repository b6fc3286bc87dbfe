// etcdctl on a stacked control plane: this machine's REAL etcdctl against
// the node's real etcd member (run by kuphost-apiserver). The wrapper only
// makes the node's view hold: the member listens on its own loopback port
// (sandbox.yaml etcdClientPort), not on 2379, and file arguments are node
// paths. --initial-cluster and --initial-advertise-peer-urls of `snapshot
// restore` pass through as given: they are only written into the restored
// data dir.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>

#include "exec_tool.h"
#include "commands.h"
#include "etcd_members.h"
#include "sandbox_file.h"
#include "tool_process.h"

namespace kuphost::sandbox::sim {
namespace {

// Flags whose value is a file or directory on the node.
const std::set<std::string> kPathFlags{"--cacert", "--cert", "--key", "--data-dir", "--wal-dir"};
// Every other etcdctl 3.4 flag that takes a separate value (`--name cp1`);
// booleans only take `--flag=value`, as in Go's pflag.
const std::set<std::string> kValueFlags{
    "--endpoints", "--dial-timeout", "--command-timeout", "--keepalive-time", "--keepalive-timeout", "-w",
    "--write-out", "--user", "--password", "--discovery-srv", "--discovery-srv-name", "--name", "--initial-cluster",
    "--initial-cluster-token", "--initial-advertise-peer-urls"};

class ArgMapper {
 public:
  explicit ArgMapper(const Invocation &inv) : inv_(inv), sandbox_(detail::read_sandbox_file(inv.sandbox_dir)) {}

  std::string path(const std::string &value) const {
    if (value.empty() || value.front() != '/' || value.starts_with(inv_.sandbox_dir.string() + "/")) return value;
    return inv_.host_path(value).string();
  }

  // https://127.0.0.1:2379 (or localhost, or a node's address, on 2379) ->
  // https://127.0.0.1:<that member's client port>; anything else as given.
  std::string endpoint(const std::string &url) const {
    const auto scheme_end = url.find("://");
    const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end + 3);
    const std::string host_port = scheme_end == std::string::npos ? url : url.substr(scheme_end + 3);
    const auto colon = host_port.rfind(':');
    if (colon == std::string::npos || host_port.substr(colon + 1) != "2379") return url;
    const std::string host = host_port.substr(0, colon);
    const detail::SandboxNode *member = nullptr;
    if (host == "127.0.0.1" || host == "localhost") member = sandbox_.find(inv_.node_name);
    for (const auto &n : sandbox_.nodes)
      if (!member && n.address == host) member = &n;
    if (!member || !member->has_etcd_member()) return url;
    return scheme + "127.0.0.1:" + std::to_string(member->etcd_client_port);
  }

  std::string endpoints(const std::string &list) const {
    std::string out;
    size_t start = 0;
    for (;;) {
      const auto comma = list.find(',', start);
      out += endpoint(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) return out;
      out += ",";
      start = comma + 1;
    }
  }

  std::string value(const std::string &flag, const std::string &v) const {
    if (flag == "--endpoints") return endpoints(v);
    if (kPathFlags.contains(flag)) return path(v);
    return v;
  }

  // etcdctl's default endpoint, 127.0.0.1:2379, is this node's member.
  std::string default_endpoint() const {
    const auto *self = sandbox_.find(inv_.node_name);
    return self && self->has_etcd_member() ? "127.0.0.1:" + std::to_string(self->etcd_client_port) : "";
  }

 private:
  const Invocation &inv_;
  detail::SandboxFile sandbox_;
};

struct MappedArgs {
  std::vector<std::string> args;
  bool has_endpoints = false;
};

MappedArgs map_args(const Invocation &inv, const ArgMapper &mapper) {
  MappedArgs out;
  std::vector<size_t> positionals;  // indices into out.args
  for (size_t i = 0; i < inv.args.size(); ++i) {
    const std::string &a = inv.args[i];
    const auto eq = a.find('=');
    const std::string flag = a.substr(0, eq);
    if (flag == "--endpoints") out.has_endpoints = true;
    if (a.starts_with("-") && eq != std::string::npos) {
      out.args.push_back(flag + "=" + mapper.value(flag, a.substr(eq + 1)));
    } else if ((kPathFlags.contains(a) || kValueFlags.contains(a)) && i + 1 < inv.args.size()) {
      out.args.push_back(a);
      out.args.push_back(mapper.value(a, inv.args[++i]));
    } else {
      if (!a.starts_with("-")) positionals.push_back(out.args.size());
      out.args.push_back(a);
    }
  }
  // snapshot save|status|restore FILE: the file is on the node.
  if (positionals.size() >= 3 && out.args[positionals[0]] == "snapshot") {
    const std::string &sub = out.args[positionals[1]];
    if (sub == "save" || sub == "status" || sub == "restore")
      out.args[positionals[2]] = mapper.path(out.args[positionals[2]]);
  }
  return out;
}

// ETCDCTL_ENDPOINTS / _CACERT / _CERT / _KEY are flags too.
bool map_environment(const ArgMapper &mapper) {
  bool endpoints = false;
  if (const char *v = std::getenv("ETCDCTL_ENDPOINTS"); v && *v) {
    ::setenv("ETCDCTL_ENDPOINTS", mapper.endpoints(v).c_str(), 1);
    endpoints = true;
  }
  for (const char *name : {"ETCDCTL_CACERT", "ETCDCTL_CERT", "ETCDCTL_KEY"})
    if (const char *v = std::getenv(name); v && *v) ::setenv(name, mapper.path(v).c_str(), 1);
  return endpoints;
}

}  // namespace

int run_etcdctl(Invocation &inv) {
  const fs::path etcdctl = detail::real_etcdctl_binary();
  if (etcdctl.empty()) {
    inv.err << "etcdctl (kuphost sandbox): no etcdctl on this machine (set $KUPHOST_ETCDCTL or install "
               "etcd-client; scripts/install-deps.sh does)\n";
    return 127;
  }
  const ArgMapper mapper(inv);
  MappedArgs mapped = map_args(inv, mapper);
  const bool env_endpoints = map_environment(mapper);
  std::vector<std::string> args{"etcdctl"};
  if (!mapped.has_endpoints && !env_endpoints && !mapper.default_endpoint().empty())
    args.push_back("--endpoints=" + mapper.default_endpoint());
  args.insert(args.end(), mapped.args.begin(), mapped.args.end());
  return exec_real_tool(inv, "etcdctl (kuphost sandbox)", etcdctl, std::move(args));
}

}  // namespace kuphost::sandbox::sim
