#include "facts/remote_node.h"

#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {

void describe_remote_node(NodeFacts &f, CommandRunner &runner, const std::string &name, const std::string &kubeconfig,
                          const std::string &kubeconfig_path) {
  Command cmd;
  cmd.argv = {"kubectl", "--kubeconfig", kubeconfig_path, "get", "node", name, "-o",
              "jsonpath={.status.nodeInfo.operatingSystem}|{.status.nodeInfo.architecture}|{.status.nodeInfo.osImage}"};
  cmd.timeout = std::chrono::seconds(30);
  const CommandResult r = runner.run(cmd);
  if (!r.started) fail_input("--node " + name + " needs kubectl on this machine to read the Node: " + r.spawn_error);
  if (!r.ok()) {
    const std::string why(trim(r.err.empty() ? r.out : r.err));
    fail_input("cannot read Node " + name + " with " + kubeconfig + ": " +
               (why.empty() ? "kubectl exited with " + std::to_string(r.exit_code) : why));
  }
  const auto parts = split(std::string(trim(r.out)), '|', /*skip_empty=*/false);
  const std::string os = parts.empty() ? "" : parts[0];
  if (os != "windows")
    fail_input("node " + name + " runs " + (os.empty() ? "an unknown OS" : os) +
               ": run kuphost on that node itself (--node without --sandbox drives Windows workers over SSH)");
  f.node_name = name;
  f.os_id = "windows";
  f.os_version_id.clear();
  f.os_pretty_name = parts.size() > 2 ? parts[2] : "Windows";
  f.family = "windows";
  f.family_mask = family_mask(f.family);
  if (parts.size() > 1 && !parts[1].empty()) f.arch = parts[1];
  f.role = Role::kWorker;  // kubeadm has no Windows control planes
  f.role_source = "Windows node, from its status.nodeInfo";
  f.etcd_mask = 0;
  f.etcd_source = "worker: no etcd member";
  f.control_plane_version.reset();
}

}  // namespace kuphost
