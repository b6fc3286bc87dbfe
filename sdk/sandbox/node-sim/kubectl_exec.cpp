// kubectl on a sandbox node: the REAL kubectl (the one recorded in
// DIR/cluster/kubectl-path) against the sandbox's API server. This wrapper
// only makes the node's view of files hold: --kubeconfig names a node path,
// and a kubeconfig may name more node paths (kubelet.conf's rotated client
// certificate). kubectl's cache and HOME stay inside the sandbox, so this
// machine's ~/.kube is never read or written.
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include "cluster_state.h"
#include "commands.h"
#include "fs_util.h"
#include "kuphost/sandbox/apiserver.h"

namespace kuphost::sandbox::sim {
namespace {

// Per node, outside the node's root so that read-only kubectl calls (plan,
// --dry-run) leave the node exactly as it was.
fs::path kubectl_state_dir(const Invocation &inv) { return inv.sandbox_dir / "cluster" / "kubectl" / inv.node_name; }

std::optional<fs::path> real_kubectl(const Invocation &inv, std::string *error) {
  if (const auto recorded = detail::read_file_if_exists(inv.sandbox_dir / "cluster" / "kubectl-path")) {
    std::string path = *recorded;
    while (!path.empty() && (path.back() == '\n' || path.back() == ' ')) path.pop_back();
    if (!path.empty() && ::access(path.c_str(), X_OK) == 0) return fs::path(path);
  }
  return find_real_kubectl(detail::read_cluster(inv.sandbox_dir).kubernetes_version, error);
}

// A node path in a kubeconfig field, as this machine sees it.
bool map_field(const Invocation &inv, YAML::Node parent, const char *field) {
  if (!parent || !parent.IsMap() || !parent[field]) return false;
  const std::string value = parent[field].as<std::string>("");
  if (!fs::path(value).is_absolute() || value.starts_with(inv.sandbox_dir.string() + "/")) return false;
  parent[field] = inv.host_path(value).string();
  return true;
}

// The kubeconfig kubectl reads: the node's file, or a copy with its node
// paths mapped when it names any.
fs::path host_kubeconfig(const Invocation &inv, const std::string &node_path) {
  const fs::path mapped = fs::exists(inv.host_path(node_path)) ? inv.host_path(node_path) : fs::path(node_path);
  const auto text = detail::read_file_if_exists(mapped);
  if (!text) return mapped;  // kubectl reports the missing file itself
  YAML::Node config;
  try {
    config = YAML::Load(*text);
  } catch (const YAML::Exception &) {
    return mapped;  // and a malformed one
  }
  bool changed = false;
  for (auto cluster : config["clusters"]) changed |= map_field(inv, cluster["cluster"], "certificate-authority");
  for (auto user : config["users"]) {
    changed |= map_field(inv, user["user"], "client-certificate");
    changed |= map_field(inv, user["user"], "client-key");
  }
  if (!changed) return mapped;
  const fs::path copy = kubectl_state_dir(inv) / mapped.filename();
  YAML::Emitter out;
  out << config;
  detail::write_file_atomic(copy, std::string(out.c_str()) + "\n", 0600);
  return copy;
}

}  // namespace

int run_kubectl(Invocation &inv) {
  std::string error;
  const auto kubectl = real_kubectl(inv, &error);
  if (!kubectl) {
    inv.err << "kubectl (kuphost sandbox): " << error << "\n";
    return 127;
  }
  std::vector<std::string> args{"kubectl"};
  for (size_t i = 0; i < inv.args.size(); ++i) {
    const std::string &a = inv.args[i];
    if (a == "--kubeconfig" && i + 1 < inv.args.size()) {
      args.push_back(a);
      args.push_back(host_kubeconfig(inv, inv.args[++i]).string());
    } else if (a.starts_with("--kubeconfig=")) {
      args.push_back("--kubeconfig=" + host_kubeconfig(inv, a.substr(13)).string());
    } else {
      args.push_back(a);
    }
  }
  const fs::path home = kubectl_state_dir(inv) / "home";
  detail::make_dirs(home, 0700);
  ::setenv("HOME", home.c_str(), 1);
  ::setenv("KUBECACHEDIR", (home / ".kube/cache").c_str(), 1);
  if (const char *env = std::getenv("KUBECONFIG"); env && *env)
    ::setenv("KUBECONFIG", host_kubeconfig(inv, env).c_str(), 1);
  std::vector<char *> argv;
  for (auto &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  inv.out.flush();
  inv.err.flush();
  ::execv(kubectl->c_str(), argv.data());
  inv.err << "kubectl (kuphost sandbox): cannot run " << kubectl->string() << ": " << std::strerror(errno) << "\n";
  return 126;
}

}  // namespace kuphost::sandbox::sim
