// Plans: prose steps, or with plan -o powershell (KUP_CALL_PLAN_POWERSHELL) the
// node script's lines of each phase; the host puts them together.
#include "support/node_status_query.hpp"
#include "support/settings.hpp"
#include "support/text.hpp"
#include "windows_upgrade.h"

namespace kuphost_plugins::windows_node {

NodeScriptInput WindowsUpgrade::script_input(const std::string &target, const std::string &stamp) const {
  NodeScriptInput in;
  in.node = settings_.node_name;
  in.target = target;
  in.stamp = stamp;
  if (settings_.from_directory()) in.local_dir = settings_.binaries_from;
  else in.base_url = settings_.binaries_from;
  in.scp_destination = (settings_.ssh.user.empty() ? std::string() : settings_.ssh.user + "@") + settings_.ssh.host;
  in.drain_command = kubectl_argv({"drain", settings_.node_name, "--ignore-daemonsets", "--delete-emptydir-data",
                                   "--timeout=" + go_duration(settings_.drain_timeout_ms)});
  in.status_command = kubectl_argv({"get", "node", settings_.node_name, "-o", kNodeStatusJsonPath});
  return in;
}

std::vector<std::string> WindowsUpgrade::plan(std::string_view phase, std::string_view target_text,
                                              bool powershell) const {
  const std::string target = target_text.empty() ? std::string("vX.Y.Z") : std::string(target_text);
  const std::string stamp = stamp_of(host_.now_unix_ms());
  const NodeScriptInput in = script_input(target, stamp);
  if (powershell) {
    PsScript s = PsScript::section();
    if (phase == "stage-binaries") s.append(prelude_section(in)).append(download_section(in));
    else if (phase == "drain") s.append(drain_section(in));
    else if (phase == "upgrade-node") s.append(upgrade_node_section(in));
    else if (phase == "binaries") s.append(binaries_section(in));
    else if (phase == "kubelet-restart") s.append(restart_section(in));
    return s.lines();
  }
  const std::string on_node = "on " + settings_.ssh.host + " over ssh: ";
  const std::string staging = staging_dir(stamp), backup = backup_dir(stamp);
  std::vector<std::string> lines;
  if (phase == "stage-binaries") {
    lines.push_back(on_node + "probe whether kube-proxy is a Windows service, and the SHA-256 of the binaries in C:\\k");
    for (const std::string name : {kKubeadm, kKubelet, kKubeProxy}) {
      const std::string only = name == kKubeProxy ? " (only when kube-proxy is a Windows service)" : "";
      if (settings_.from_directory()) {
        const std::string local = settings_.binaries_from + "/" + name;
        lines.push_back("check " + local + " against " + local + ".sha256, then " +
                        command_line({"scp", local, in.scp_destination + ":" + scp_path(in_dir(staging, name))}) + only);
        lines.push_back(on_node + "check " + in_dir(staging, name) + " against its .sha256 again");
      } else {
        lines.push_back(on_node + "download " + binary_url(settings_.binaries_from, target, name) +
                        " and its .sha256 into " + staging + " and check its SHA-256" + only);
      }
    }
    lines.push_back("a binary whose SHA-256 already matches is kept; a mismatch stops the upgrade before any change");
  } else if (phase == "drain") {
    lines.push_back("take an upgrade slot (kubeadm.upgrade-slots, kuphost.upgrade-slot/1), held until kubeadm/uncordon");
    lines.push_back(command_line(in.drain_command));
  } else if (phase == "upgrade-node") {
    lines.push_back(on_node + "copy the binaries in C:\\k and the kubelet configuration to " + backup);
    lines.push_back(on_node + "replace C:\\k\\kubeadm.exe with the checked copy from " + staging);
    lines.push_back(on_node + "& 'C:\\k\\kubeadm.exe' upgrade node");
  } else if (phase == "binaries") {
    lines.push_back(on_node + "Stop-Service kubelet (and kube-proxy, when it is a Windows service)");
    lines.push_back(on_node + "replace C:\\k\\kubelet.exe (and kube-proxy.exe) with the checked copies from " + staging);
  } else if (phase == "kubelet-restart") {
    lines.push_back(on_node + "Start-Service kubelet (and kube-proxy)");
    lines.push_back("wait up to " + go_duration(settings_.ready_timeout_ms) + " until `" +
                    command_line(in.status_command) + "` prints " + target + " True");
    lines.push_back("if it does not: the services stop, the binaries in " + backup + " go back, the services start");
  }
  return lines;
}

}  // namespace kuphost_plugins::windows_node
