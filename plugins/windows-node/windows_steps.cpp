#include "windows_steps.h"

#include "support/node_status_query.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::windows_node {
namespace {

// Where the kubeadm docs keep the Windows binaries.
constexpr const char *kBinaryDir = "C:\\k";
// Windows workers in the kubeadm docs are amd64 only.
constexpr const char *kPlatform = "windows/amd64";
constexpr const char *kAdminConf = "/etc/kubernetes/admin.conf";

}  // namespace

WindowsSteps::WindowsSteps(WindowsSettings settings, std::string target)
    : settings_(std::move(settings)), target_(std::move(target)) {
  if (settings_.ssh_host.empty()) settings_.ssh_host = settings_.node_name;
  if (settings_.binaries_from.empty()) settings_.binaries_from = "https://dl.k8s.io";
  while (settings_.binaries_from.size() > 1 && settings_.binaries_from.back() == '/')
    settings_.binaries_from.pop_back();
}

std::string WindowsSteps::remote(const std::string &script) const {
  std::vector<std::string> argv{"ssh", "-o", "BatchMode=yes"};
  if (!settings_.ssh_key.empty()) {
    argv.push_back("-i");
    argv.push_back(settings_.ssh_key);
  }
  argv.push_back(settings_.ssh_user.empty() ? settings_.ssh_host
                                            : settings_.ssh_user + "@" + settings_.ssh_host);
  for (const char *arg : {"powershell", "-NoProfile", "-NonInteractive", "-Command"}) argv.push_back(arg);
  argv.push_back(script);
  return command_line(argv);
}

std::string WindowsSteps::kubectl(std::vector<std::string> args) const {
  std::vector<std::string> argv{"kubectl", "--kubeconfig", kAdminConf};
  argv.insert(argv.end(), args.begin(), args.end());
  return command_line(argv);
}

void WindowsSteps::replace_binary(std::vector<std::string> &steps, const std::string &binary) const {
  const std::string url = settings_.binaries_from + "/" + target_ + "/bin/" + kPlatform + "/" + binary;
  const std::string path = std::string(kBinaryDir) + "\\" + binary;
  steps.push_back(remote("curl.exe -fLo " + path + ".new " + url));
  steps.push_back(remote("curl.exe -fLo " + path + ".sha256 " + url + ".sha256"));
  steps.push_back(remote("if ((Get-FileHash -Algorithm SHA256 " + path + ".new).Hash -ne (Get-Content " +
                         path + ".sha256).Trim()) { exit 1 }"));
  steps.push_back(remote("Move-Item -Force " + path + ".new " + path));
}

std::vector<std::string> WindowsSteps::kubeadm_binary() const {
  std::vector<std::string> steps;
  replace_binary(steps, "kubeadm.exe");
  return steps;
}

// From the machine kuphost runs on: the Windows page drains before
// `kubeadm upgrade node`, unlike the Linux page.
std::vector<std::string> WindowsSteps::drain() const {
  return {kubectl(
      {"drain", settings_.node_name, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=300s"})};
}

std::vector<std::string> WindowsSteps::upgrade_node() const {
  return {remote(std::string(kBinaryDir) + "\\kubeadm.exe upgrade node")};
}

std::vector<std::string> WindowsSteps::binaries() const {
  std::vector<std::string> steps{remote("Stop-Service kubelet")};
  replace_binary(steps, "kubelet.exe");
  steps.push_back(remote("Stop-Service kube-proxy"));
  replace_binary(steps, "kube-proxy.exe");
  steps.push_back(
      "note: where kube-proxy runs as a HostProcess DaemonSet rather than a service, its "
      "manifests are upgraded instead of kube-proxy.exe");
  return steps;
}

std::vector<std::string> WindowsSteps::kubelet_restart() const {
  return {remote("Start-Service kubelet"), remote("Start-Service kube-proxy"),
          "wait until " + kubectl({"get", "node", settings_.node_name, "-o", kNodeStatusJsonPath}) +
              " prints " + target_ + " True"};
}

}  // namespace kuphost_plugins::windows_node
