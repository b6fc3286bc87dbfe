#include "node_steps.h"

#include "support/text.hpp"

namespace kuphost_plugins::windows_node {
namespace {

constexpr const char *kNodeDir = "C:\\k";
// Written by `kubeadm upgrade node`; kept so that its rollback is complete.
constexpr const char *kKubeletDir = "C:\\var\\lib\\kubelet";
const char *const kKubeletConfigFiles[] = {"config.yaml", "kubeadm-flags.env"};
// Set by the operator script's prelude: kube-proxy runs as a Windows service.
constexpr const char *kProxyGuard = "kubeProxyService";

// Stages of one binary's check: the digest the .sha256 promises against the
// file's own; the message names both, as apply's error does.
void add_check(PsScript &s, const std::string &file, const std::string &checksum_file, const std::string &name) {
  s.read_trimmed("expected", checksum_file);
  s.file_hash("actual", file);
  s.output(name).output_var("expected").output_var("actual");
  s.throw_if_differ("expected", "actual", file + " does not match " + checksum_file);
}

std::vector<std::string> all_binaries() { return {kKubeadm, kKubelet, kKubeProxy}; }

}  // namespace

std::string node_binary(const std::string &name) { return in_dir(kNodeDir, name); }
std::string staging_dir(const std::string &stamp) { return in_dir(kNodeDir, "kuphost-staging-" + stamp); }
std::string backup_dir(const std::string &stamp) { return in_dir(kNodeDir, "kuphost-backup-" + stamp); }
std::string in_dir(const std::string &dir, const std::string &name) { return dir + "\\" + name; }

std::string scp_path(const std::string &windows_path) {
  std::string out = windows_path;
  for (char &c : out)
    if (c == '\\') c = '/';
  return out;
}

std::string binary_url(const std::string &base, const std::string &target, const std::string &name) {
  return base + "/" + target + "/bin/windows/amd64/" + name;
}

std::string service_of(const std::string &binary) {
  if (binary == kKubelet) return "kubelet";
  if (binary == kKubeProxy) return "kube-proxy";
  return {};
}

PsScript probe_script() {
  PsScript s("probe");
  s.service_exists(kProxyGuard, "kube-proxy").output("kube-proxy-service").output_var(kProxyGuard);
  for (const auto &name : all_binaries()) {
    s.set("hash", kMissing);
    s.if_exists(node_binary(name)).file_hash("hash", node_binary(name));
    s.output(name).output_var("hash");
  }
  return s;
}

PsScript fetch_checksum_script(const std::string &staging, const std::string &name, const std::string &url) {
  PsScript s("fetch-checksum " + name);
  const std::string file = in_dir(staging, name + ".sha256");
  s.make_dir(staging).download(file, url + ".sha256", "download of " + url + ".sha256 failed");
  s.read_trimmed("expected", file).output(name).output_var("expected");
  return s;
}

PsScript fetch_binary_script(const std::string &staging, const std::string &name, const std::string &url) {
  PsScript s("fetch " + name);
  const std::string file = in_dir(staging, name);
  s.download(file, url, "download of " + url + " failed");
  add_check(s, file, file + ".sha256", name);
  return s;
}

PsScript make_dir_script(const std::string &dir) { return std::move(PsScript("make-dir").make_dir(dir)); }

PsScript verify_staged_script(const std::string &staging, const std::string &name) {
  PsScript s("verify " + name);
  add_check(s, in_dir(staging, name), in_dir(staging, name + ".sha256"), name);
  return s;
}

PsScript backup_script(const std::string &backup, const std::vector<std::string> &binaries) {
  PsScript s("backup");
  s.make_dir(backup);
  for (const auto &name : binaries) s.copy(node_binary(name), in_dir(backup, name));
  for (const char *file : kKubeletConfigFiles)
    s.if_exists(in_dir(kKubeletDir, file)).copy(in_dir(kKubeletDir, file), in_dir(backup, file));
  return s;
}

PsScript replace_script(const std::string &staging, const std::string &name) {
  PsScript s("replace " + name);
  s.copy(in_dir(staging, name), node_binary(name));
  add_check(s, node_binary(name), in_dir(staging, name + ".sha256"), name);
  return s;
}

PsScript upgrade_node_script() {
  PsScript s("upgrade-node");
  s.native(node_binary(kKubeadm), "upgrade node", "kubeadm upgrade node failed");
  return s;
}

PsScript stop_services_script(const std::vector<std::string> &services) {
  PsScript s("stop-services");
  // Dependents first: kube-proxy is commonly set up to depend on the kubelet,
  // and Stop-Service refuses a service that still has running dependents.
  for (auto it = services.rbegin(); it != services.rend(); ++it) s.stop_service(*it);
  return s;
}

PsScript start_services_script(const std::vector<std::string> &services) {
  PsScript s("start-services");
  for (const auto &service : services) s.start_service(service);
  return s;
}

PsScript restore_script(const std::string &backup, const std::vector<std::string> &binaries, bool kubelet_config) {
  PsScript s("restore");
  for (const auto &name : binaries) s.if_exists(in_dir(backup, name)).copy(in_dir(backup, name), node_binary(name));
  if (kubelet_config)
    for (const char *file : kKubeletConfigFiles)
      s.if_exists(in_dir(backup, file)).copy(in_dir(backup, file), in_dir(kKubeletDir, file));
  return s;
}

PsScript remove_dir_script(const std::string &dir) {
  PsScript s("remove-dir");
  s.if_exists(dir).remove(dir);
  return s;
}

// ---- the operator's script ----

PsScript prelude_section(const NodeScriptInput &in) {
  PsScript s = PsScript::section();
  s.comment("kuphost: upgrade of Windows node " + in.node + " to " + in.target +
            ", the steps of `kuphost apply`, to run by hand in an elevated PowerShell on the node");
  s.comment("run the drain below on the admin machine first (the downloads before it change nothing), and the "
            "wait and uncordon at the end there afterwards");
  s.comment("if a step fails: stop the services, copy the binaries back from " + backup_dir(in.stamp) +
            " to C:\\k, start the services, and uncordon the node");
  s.set("ErrorActionPreference", "Stop").set("ProgressPreference", "SilentlyContinue");
  s.comment("kube-proxy is upgraded here only when it runs as a Windows service");
  s.service_exists(kProxyGuard, "kube-proxy");
  return s;
}

PsScript download_section(const NodeScriptInput &in) {
  PsScript s = PsScript::section();
  const std::string staging = staging_dir(in.stamp);
  s.comment("windows-node/stage-binaries: stage every binary and check it before anything changes");
  s.make_dir(staging);
  for (const auto &name : all_binaries()) {
    const bool proxy = name == kKubeProxy;
    if (proxy) s.set("expected", "").set("actual", "").guard(kProxyGuard);
    const std::string file = in_dir(staging, name);
    if (in.local_dir.empty()) {
      const std::string url = binary_url(in.base_url, in.target, name);
      s.download(file + ".sha256", url + ".sha256", "download of " + url + ".sha256 failed");
      s.download(file, url, "download of " + url + " failed");
    } else {
      for (const std::string &f : {name, name + ".sha256"})
        s.comment("on the admin machine: " + command_line({"scp", in.local_dir + "/" + f,
                                                           in.scp_destination + ":" + scp_path(in_dir(staging, f))}));
    }
    s.read_trimmed("expected", file + ".sha256").file_hash("actual", file);
    s.throw_if_differ("expected", "actual", file + " does not match " + file + ".sha256");
    s.guard("");
  }
  return s;
}

PsScript drain_section(const NodeScriptInput &in) {
  PsScript s = PsScript::section();
  s.comment("windows-node/drain");
  s.comment("on the admin machine: " + command_line(in.drain_command));
  return s;
}

PsScript upgrade_node_section(const NodeScriptInput &in) {
  PsScript s = PsScript::section();
  const std::string backup = backup_dir(in.stamp), staging = staging_dir(in.stamp);
  s.comment("windows-node/upgrade-node: keep the current binaries, then kubeadm upgrade node");
  s.make_dir(backup);
  for (const auto &name : all_binaries()) {
    if (name == kKubeProxy) s.guard(kProxyGuard);
    s.copy(node_binary(name), in_dir(backup, name));
    s.guard("");
  }
  for (const char *file : kKubeletConfigFiles)
    s.if_exists(in_dir(kKubeletDir, file)).copy(in_dir(kKubeletDir, file), in_dir(backup, file));
  s.copy(in_dir(staging, kKubeadm), node_binary(kKubeadm));
  s.native(node_binary(kKubeadm), "upgrade node", "kubeadm upgrade node failed");
  return s;
}

PsScript binaries_section(const NodeScriptInput &in) {
  PsScript s = PsScript::section();
  const std::string staging = staging_dir(in.stamp);
  s.comment("windows-node/binaries: a running service's binary cannot be replaced");
  s.guard(kProxyGuard).stop_service("kube-proxy").guard("").stop_service("kubelet");
  s.copy(in_dir(staging, kKubelet), node_binary(kKubelet));
  s.guard(kProxyGuard).copy(in_dir(staging, kKubeProxy), node_binary(kKubeProxy)).guard("");
  return s;
}

PsScript restart_section(const NodeScriptInput &in) {
  PsScript s = PsScript::section();
  s.comment("windows-node/kubelet-restart");
  s.start_service("kubelet").guard(kProxyGuard).start_service("kube-proxy").guard("");
  s.comment("on the admin machine: wait until `" + command_line(in.status_command) + "` prints " + in.target +
            " True");
  return s;
}

}  // namespace kuphost_plugins::windows_node
