// kuphost-node-sim: a multi-call binary (like busybox). Each sandbox node's
// usr/bin/{kubeadm,kubelet,kubectl,systemctl} and its package manager's
// commands link here; the name it is run under picks the command and the
// link's location picks the node.
#include <exception>
#include <iostream>
#include <string_view>

#include "command_log.h"
#include "commands.h"
#include "faults.h"
#include "node_state.h"
#include "real_package_tools.h"

namespace {

using namespace kuphost::sandbox;

constexpr int kUsageExit = 2;
constexpr int kNotFoundExit = 127;  // what a shell returns for a missing command
constexpr int kInternalErrorExit = 70;

struct Command {
  std::string_view name;
  int (*run)(sim::Invocation &);
  bool from_kubernetes_package;  // exists only while its package is installed
};

constexpr Command kCommands[] = {
    {"kubeadm", sim::run_kubeadm, true},       {"kubelet", sim::run_kubelet, true},
    {"kubectl", sim::run_kubectl, true},       {"systemctl", sim::run_systemctl, false},
    {"apt-get", sim::run_apt_get, false},      {"apt-cache", sim::run_apt_cache, false},
    {"apt-mark", sim::run_apt_mark, false},    {"dpkg-query", sim::run_dpkg_query, false},
    {"dnf", sim::run_dnf, false},              {"yum", sim::run_dnf, false},
    {"rpm", sim::run_rpm, false},              {"etcdctl", sim::run_etcdctl, false},
    {"ssh", sim::run_ssh, false},              {"scp", sim::run_scp, false},
    {"curl", sim::run_curl, false},
};

const Command *find_command(std::string_view name) {
  for (const auto &c : kCommands)
    if (c.name == name) return &c;
  return nullptr;
}

int dispatch(const Command &command, sim::Invocation &inv) {
  const detail::NodeState state = detail::read_node_state(inv.root);
  if (state.real_packages() && sim::is_package_tool(inv.command)) return sim::exec_real_package_tool(inv);
  // The binaries come from packages; a removed package leaves no command.
  if (command.from_kubernetes_package && state.package(inv.command).empty()) {
    inv.err << inv.command << ": command not found (package " << inv.command << " is not installed on sandbox node "
            << inv.node_name << ")\n";
    return kNotFoundExit;
  }
  return command.run(inv);
}

int run(int argc, char **argv) {
  const std::string argv0 = argc > 0 ? argv[0] : "kuphost-node-sim";
  const std::string command = sim::fs::path(argv0).filename().string();
  const Command *known = find_command(command);
  if (!known) {
    std::cerr << "kuphost-node-sim: run me as kubeadm, kubelet, kubectl, systemctl, apt-get, apt-cache, apt-mark, "
                 "dpkg-query, dnf, yum, rpm, etcdctl, ssh or scp through a sandbox node's usr/bin symlinks (see "
                 "`kuphost sandbox create`)\n";
    return kUsageExit;
  }
  std::string error;
  const auto root = sim::node_root_of(argv0, &error);
  if (!root) {
    std::cerr << command << " (kuphost-node-sim): " << error << "\n";
    return kUsageExit;
  }
  sim::Invocation inv{command,
                      std::vector<std::string>(argv + 1, argv + argc),
                      *root,
                      (*root / "../../..").lexically_normal(),
                      root->parent_path().filename().string(),
                      std::cout,
                      std::cerr,
                      std::cin};
  sim::log_command(inv);
  if (const auto fault = sim::due_fault(inv)) {
    if (const auto code = sim::perform_fault(*fault, inv)) return *code;
  }
  return dispatch(*known, inv);
}

}  // namespace

int main(int argc, char **argv) {
  int code = kInternalErrorExit;
  try {
    code = run(argc, argv);
  } catch (const std::exception &e) {
    std::cerr << "kuphost-node-sim: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "kuphost-node-sim: unknown error\n";
  }
  std::cout.flush();
  std::cerr.flush();
  return code;
}
