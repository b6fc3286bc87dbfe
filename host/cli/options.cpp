#include "cli/options.h"

#include <sstream>

#include <boost/program_options.hpp>

#include "support/failure.h"

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
      ("node", po::value<std::string>(), "the sandbox node to use")
      ("role", po::value<std::string>(), "first-control-plane | other-control-plane | worker (default: detected)")
      ("dry-run", po::bool_switch(), "run what only reads; print every command and write that would change the node")
      ("yes,y", po::bool_switch(), "do not ask for confirmation")
      ("force", po::bool_switch(), "passed to phases as kubeadm's --force: bypass skippable checks")
      ("output,o", po::value<std::string>(), "text | json | yaml")
      ("v,v", po::value<int>(), "log verbosity: 0 info, 1 commands, 2 command output")
      ("log-file", po::value<std::string>(), "also write a timestamped log here")
      ("help,h", "show this help");
  return d;
}

po::options_description sandbox_options() {
  po::options_description d("`sandbox create` options");
  d.add_options()
      ("kubernetes-version", po::value<std::string>(), "cluster version (default v1.30.5)")
      ("distro", po::value<std::string>(), "ubuntu-24.04 | debian-12 | rhel-9 | windows-2022 (default ubuntu-24.04)")
      ("nodes", po::value<std::string>(), "name:role,... (default cp1:first-control-plane,w1:worker)")
      ("etcd", po::value<std::string>(), "stacked | external (default stacked)")
      ("key-type", po::value<std::string>(), "rsa-2048 | ecdsa-p256 (default rsa-2048, as kubeadm)")
      ("cert-validity-days", po::value<int>(), "validity of the leaf certificates (default 365)");
  return d;
}

}  // namespace

std::string usage_text() {
  std::ostringstream out;
  out << "Usage: kuphost [options] COMMAND [ARGS]\n\n"
         "Upgrades a kubeadm-created Kubernetes node safely and repeatably.\n\n"
         "Commands:\n"
         "  plan [VERSION]              show the phases that would run here, in order, and why\n"
         "  apply [VERSION]             upgrade this node; resumes an interrupted run\n"
         "  plugins [list]              list the installed plugins\n"
         "  plugins inspect FILE        show a plugin's id, version, ABI and exports without running it\n"
         "  sandbox create DIR          make a sandbox cluster to try kuphost or test plugins\n"
         "  version                     print kuphost's version and plugin ABI\n\n"
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
  if (vm.count("help")) {
    o.command = "help";
    return o;
  }
  if (!vm.count("command")) fail_input("no command given; try `kuphost --help`");
  o.command = vm["command"].as<std::string>();
  if (vm.count("args")) o.args = vm["args"].as<std::vector<std::string>>();
  if (vm.count("plugins")) o.plugins = vm["plugins"].as<std::string>();
  if (vm.count("plugin-dir"))
    for (const auto &d : vm["plugin-dir"].as<std::vector<std::string>>()) o.plugin_dirs.emplace_back(d);
  o.allow_insecure_plugin_dir = vm["allow-insecure-plugin-dir"].as<bool>();
  if (vm.count("config")) o.config = vm["config"].as<std::string>();
  if (vm.count("root")) o.root = vm["root"].as<std::string>();
  if (vm.count("sandbox")) o.sandbox = vm["sandbox"].as<std::string>();
  if (vm.count("node")) o.node = vm["node"].as<std::string>();
  if (vm.count("role")) o.role = vm["role"].as<std::string>();
  o.dry_run = vm["dry-run"].as<bool>();
  o.yes = vm["yes"].as<bool>();
  o.force = vm["force"].as<bool>();
  if (vm.count("output")) {
    const auto out = vm["output"].as<std::string>();
    if (out == "text") o.output = OutputFormat::kText;
    else if (out == "json") o.output = OutputFormat::kJson;
    else if (out == "yaml") o.output = OutputFormat::kYaml;
    else fail_input("invalid --output '" + out + "': use text, json or yaml");
  }
  if (vm.count("v")) {
    o.verbosity = vm["v"].as<int>();
    if (o.verbosity < 0) fail_input("-v must be 0 or more");
  }
  if (vm.count("log-file")) o.log_file = vm["log-file"].as<std::string>();
  if (o.root && o.sandbox) fail_input("--root and --sandbox exclude each other; pass one");
  if (!o.node.empty() && !o.sandbox) fail_input("--node needs --sandbox DIR");
  for (const char *flag : {"kubernetes-version", "distro", "nodes", "etcd", "key-type", "cert-validity-days"})
    if (vm.count(flag)) o.sandbox_flags_given.push_back(std::string("--") + flag);
  if (vm.count("kubernetes-version")) o.kubernetes_version = vm["kubernetes-version"].as<std::string>();
  if (vm.count("distro")) o.distro = vm["distro"].as<std::string>();
  if (vm.count("nodes")) o.nodes = vm["nodes"].as<std::string>();
  if (vm.count("etcd")) o.etcd = vm["etcd"].as<std::string>();
  if (vm.count("key-type")) o.key_type = vm["key-type"].as<std::string>();
  if (vm.count("cert-validity-days")) o.cert_validity_days = vm["cert-validity-days"].as<int>();
  return o;
}

}  // namespace kuphost
