#include "cli/options.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <boost/program_options.hpp>

#include "facts/preflight_names.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace po = boost::program_options;

namespace {

po::options_description global_options() {
  po::options_description d("Options");
  d.add_options()
      ("plugins", po::value<std::string>(), "comma-separated plugins to use (ids or aliases); default: every installed plugin that applies to the node")
      ("plugin-dir", po::value<std::vector<std::string>>()->composing(), "search this directory for plugins first (repeatable)")
      ("allow-insecure-plugin-dir", po::bool_switch(), "load plugins from files or directories writable by others")
      ("config", po::value<std::string>(), "config file (default: <root>/etc/kuphost/kuphost.yaml)")
      ("root", po::value<std::string>(), "the node's filesystem root (default: /)")
      ("sandbox", po::value<std::string>(), "run against a sandbox node made by `kuphost sandbox create`")
      ("node", po::value<std::string>(), "the sandbox node to use; without --sandbox, a Windows worker to drive from this machine over SSH")
      ("role", po::value<std::string>(), "first-control-plane | other-control-plane | worker (default: detected)")
      ("dry-run", po::bool_switch(), "run what only reads; print every command and write that would change the node")
      ("yes,y", po::bool_switch(), "do not ask for confirmation")
      ("force", po::bool_switch(), "passed to phases as kubeadm's --force: bypass skippable checks")
      ("ignore-preflight-errors", po::value<std::vector<std::string>>()->composing(), "NAME[,NAME]|all: report these preflight checks as warnings instead of errors (repeatable)")
      ("allow-experimental-upgrades", po::bool_switch(), "allow an alpha, beta or rc target version")
      ("allow-release-candidate-upgrades", po::bool_switch(), "allow an rc target version")
      ("binaries-from", po::value<std::string>(), "Windows nodes without internet access: a directory on this machine with kubeadm.exe, kubelet.exe, kube-proxy.exe and their .sha256 files (windows-node.binaries-from)")
      ("kubeconfig", po::value<std::string>(), "kubeconfig (a node path) for drain, uncordon and upgrade slots on nodes without /etc/kubernetes/admin.conf")
      ("output,o", po::value<std::string>(), "text | json | yaml; plan on a Windows node also: powershell")
      ("v,v", po::value<int>(), "log verbosity: 0 info, 1 commands, 2 command output")
      ("log-file", po::value<std::string>(), "also write a timestamped log here")
      ("help,h", "show this help");
  return d;
}

po::options_description sandbox_options() {
  po::options_description d("`sandbox create` / `sandbox up` options");
  d.add_options()
      ("kubernetes-version", po::value<std::string>(), "cluster version (default v1.30.5)")
      ("distro", po::value<std::string>(), "ubuntu-24.04 | debian-12 | rhel-9 | windows-2022 (default ubuntu-24.04)")
      ("nodes", po::value<std::string>(), "name:role,... (default cp1:first-control-plane,w1:worker)")
      ("etcd", po::value<std::string>(), "stacked | external (default stacked)")
      ("key-type", po::value<std::string>(), "rsa-2048 | ecdsa-p256 (default rsa-2048, as kubeadm)")
      ("cert-validity-days", po::value<int>(), "validity of the leaf certificates (default 365)")
      ("packages", po::value<std::string>(), "simulated | real: real apt/dnf on package roots served by a local signed pkgs.k8s.io mirror (default simulated)")
      ("calico", po::value<std::string>(), "operator | manifest: install Calico as after its docs (default: none)")
      ("calico-version", po::value<std::string>(), "Calico version for --calico and `sandbox calico-release` (default v3.29.1)")
      ("port", po::value<int>(), "`sandbox up`: the API server's port on 127.0.0.1 (default: the one the sandbox was made with; 0 picks a free one)");
  return d;
}

}  // namespace

std::vector<std::string> parse_ignore_preflight_errors(const std::vector<std::string> &values) {
  std::string valid;
  for (auto name : kKubeadmPreflightCheckNames) valid += (valid.empty() ? "" : ", ") + std::string(name);
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::vector<std::string> names;
  for (const auto &value : values)
    for (const auto &word : split(value, ',', /*skip_empty=*/false)) {
      const std::string name(trim(word));
      if (name.empty())
        fail_input("empty name in --ignore-preflight-errors '" + value + "': use NAME[,NAME] or all; valid names: " +
                   valid);
      // Case-insensitive, as kubeadm matches them.
      const bool known = lower(name) == "all" || std::any_of(kKubeadmPreflightCheckNames.begin(),
                                                             kKubeadmPreflightCheckNames.end(),
                                                             [&](std::string_view k) { return lower(k) == lower(name); });
      if (!known)
        fail_input("unknown check '" + name + "' in --ignore-preflight-errors; valid names: " + valid + ", all");
      names.push_back(name);
    }
  return names;
}

std::string usage_text(const std::string &plugin_commands) {
  std::ostringstream out;
  out << "Usage: kuphost [options] COMMAND [ARGS]\n\n"
         "Upgrades a kubeadm-created Kubernetes node safely and repeatably.\n\n"
         "Commands:\n"
         "  plan [VERSION]              show the phases that would run here, in order, and why\n"
         "  apply [VERSION]             upgrade this node; resumes an interrupted run\n"
         "  plugins [list]              list the installed plugins\n"
         "  plugins inspect FILE        show a plugin's id, version, ABI and exports without running it\n"
         "  plugins inspect NAME        the same for an installed plugin, with its commands\n"
         "  sandbox create DIR          make a sandbox cluster to try kuphost or test plugins\n"
         "  sandbox up DIR [--port N]   start the sandbox's API server (kubectl --kubeconfig DIR/kubeconfig)\n"
         "  sandbox down DIR            stop it\n"
         "  sandbox calico-release OUT  write a Calico-shaped release (manifests, release-V.tgz) for --calico-version\n"
         "  version                     print kuphost's version and plugin ABI\n\n"
      << plugin_commands << (plugin_commands.empty() ? "" : "\n")
      << "VERSION: v1.31.2 (exact), 1.31 (newest patch of that minor), latest-patch (newest patch of the\n"
         "current minor) or next-minor (newest patch of the next minor); versions come from the node's\n"
         "package repositories. Pre-releases need --allow-experimental-upgrades or\n"
         "--allow-release-candidate-upgrades.\n\n"
      << global_options() << "\n"
      << sandbox_options() << "\n"
      << "Exit codes:\n"
         "  0    success\n"
         "  1    a phase failed; the completed phases were rolled back\n"
         "  2    invalid input (command line, config, version, plugin name); nothing changed\n"
         "  3    a plugin could not be loaded or composed; nothing changed\n"
         "  4    a phase failed and rollback did not finish; the node needs attention\n"
         "  130  interrupted; run `kuphost apply` again to resume\n";
  return out.str();
}

Options parse_options(int argc, char **argv) {
  po::options_description all;
  all.add(global_options()).add(sandbox_options());
  all.add_options()("command", po::value<std::string>())("args", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("command", 1).add("args", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    fail_input(std::string(e.what()) + " (see kuphost --help)");
  }
  Options o;
  // Help lists the plugins' commands, so it reads where plugins are.
  if (vm.count("plugin-dir"))
    for (const auto &d : vm["plugin-dir"].as<std::vector<std::string>>()) o.plugin_dirs.emplace_back(d);
  o.allow_insecure_plugin_dir = vm["allow-insecure-plugin-dir"].as<bool>();
  if (vm.count("help") || (vm.count("command") && vm["command"].as<std::string>() == "help")) {
    o.command = "help";
    return o;
  }
  if (!vm.count("command")) fail_input("no command given; try `kuphost --help`");
  o.command = vm["command"].as<std::string>();
  if (vm.count("args")) o.args = vm["args"].as<std::vector<std::string>>();
  if (vm.count("plugins")) o.plugins = vm["plugins"].as<std::string>();
  if (vm.count("config")) o.config = vm["config"].as<std::string>();
  if (vm.count("root")) o.root = vm["root"].as<std::string>();
  if (vm.count("sandbox")) o.sandbox = vm["sandbox"].as<std::string>();
  if (vm.count("node")) o.node = vm["node"].as<std::string>();
  if (vm.count("role")) o.role = vm["role"].as<std::string>();
  o.dry_run = vm["dry-run"].as<bool>();
  o.yes = vm["yes"].as<bool>();
  o.force = vm["force"].as<bool>();
  o.allow_experimental_upgrades = vm["allow-experimental-upgrades"].as<bool>();
  o.allow_release_candidate_upgrades = vm["allow-release-candidate-upgrades"].as<bool>();
  if (vm.count("kubeconfig")) {
    o.kubeconfig = vm["kubeconfig"].as<std::string>();
    if (o.kubeconfig.empty() || o.kubeconfig.front() != '/')
      fail_input("--kubeconfig '" + o.kubeconfig + "' must be an absolute path on the node, e.g. /root/.kube/config");
  }
  if (vm.count("binaries-from")) {
    std::error_code ec;
    o.binaries_from = std::filesystem::absolute(vm["binaries-from"].as<std::string>(), ec).lexically_normal().string();
    if (ec) fail_input("--binaries-from " + vm["binaries-from"].as<std::string>() + ": " + ec.message());
  }
  if (vm.count("ignore-preflight-errors"))
    o.ignore_preflight_errors = parse_ignore_preflight_errors(vm["ignore-preflight-errors"].as<std::vector<std::string>>());
  if (vm.count("output")) {
    const auto out = vm["output"].as<std::string>();
    if (out == "text") o.output = OutputFormat::kText;
    else if (out == "json") o.output = OutputFormat::kJson;
    else if (out == "yaml") o.output = OutputFormat::kYaml;
    else if (out == "powershell" && o.command == "plan") o.output = OutputFormat::kPowerShell;
    else if (out == "powershell")
      fail_input("-o powershell is for `kuphost plan` on a Windows node; for " + o.command + " use text, json or yaml");
    else fail_input("invalid --output '" + out + "': use text, json or yaml (or powershell with plan)");
  }
  if (vm.count("v")) {
    o.verbosity = vm["v"].as<int>();
    if (o.verbosity < 0) fail_input("-v must be 0 or more");
  }
  if (vm.count("log-file")) o.log_file = vm["log-file"].as<std::string>();
  if (o.root && o.sandbox) fail_input("--root and --sandbox exclude each other; pass one");
  for (const char *flag : {"kubernetes-version", "distro", "nodes", "etcd", "key-type", "cert-validity-days", "packages", "calico",
                           "calico-version", "port"})
    if (vm.count(flag)) o.sandbox_flags_given.push_back(std::string("--") + flag);
  if (vm.count("kubernetes-version")) o.kubernetes_version = vm["kubernetes-version"].as<std::string>();
  if (vm.count("distro")) o.distro = vm["distro"].as<std::string>();
  if (vm.count("nodes")) o.nodes = vm["nodes"].as<std::string>();
  if (vm.count("etcd")) o.etcd = vm["etcd"].as<std::string>();
  if (vm.count("key-type")) o.key_type = vm["key-type"].as<std::string>();
  if (vm.count("cert-validity-days")) o.cert_validity_days = vm["cert-validity-days"].as<int>();
  if (vm.count("packages")) o.packages = vm["packages"].as<std::string>();
  if (vm.count("calico")) o.calico = vm["calico"].as<std::string>();
  if (vm.count("calico-version")) o.calico_version = vm["calico-version"].as<std::string>();
  if (vm.count("port")) {
    o.port = vm["port"].as<int>();
    if (o.port < 0 || o.port > 65535) fail_input("invalid --port " + std::to_string(o.port) + ": use 1-65535, or 0 to pick a free one");
  }
  return o;
}

}  // namespace kuphost
