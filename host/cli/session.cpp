#include "cli/session.h"
#include "facts/remote_node.h"

#include <kuphost/sandbox/apiserver.h>
#include <kuphost/sandbox/sandbox.h>

#include "services/logging.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace fs = std::filesystem;

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

fs::path apiserver_path() { return executable_dir().parent_path() / "libexec" / "kuphost" / "kuphost-apiserver"; }

Session::Session(const Options &o) : options(o) {}

void Session::prepare_node() {
  resolve_node();
  load_plugins();
  gather_node_facts();
}

void Session::resolve_node() {
  std::vector<fs::path> search_path;
  std::vector<std::string> env;
  if (options.sandbox) {
    std::string err;
    auto sb = sandbox::load(*options.sandbox, &err);
    if (!sb) fail_input(err);
    const sandbox::Node *node = nullptr;
    std::vector<std::string> names;
    for (const auto &n : sb->nodes) {
      names.push_back(n.name);
      if (n.name == options.node) node = &n;
    }
    if (options.node.empty()) {
      if (sb->nodes.size() != 1)
        fail_input("--node is required: sandbox " + options.sandbox->string() + " has nodes " + join(names, ", "));
      node = &sb->nodes.front();
    }
    if (!node)
      fail_input("sandbox " + options.sandbox->string() + " has no node '" + options.node +
                 "'; its nodes are " + join(names, ", "));
    root = std::make_unique<NodeRoot>(fs::absolute(node->root).lexically_normal());
    // A sandbox node sees only its own simulated commands: nothing on this
    // machine can be reached by accident.
    for (const char *d : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"})
      search_path.push_back(*root->map(d));
    std::vector<std::string> path_parts;
    for (const auto &p : search_path) path_parts.push_back(p.string());
    env.push_back("PATH=" + join(path_parts, ":"));
    env.push_back("KUPHOST_SANDBOX=" + fs::absolute(*options.sandbox).string());
    fact_options_.sandbox = true;
    fact_options_.node_name = node->name;
    if (auto r = parse_role(node->role)) {
      fact_options_.role_override = r;
      fact_options_.role_override_source = "sandbox.yaml";
    }
    // The sandbox serves each control plane's own API server on a loopback
    // port, not at the address its manifest advertises.
    if (node->apiserver_port > 0)
      fact_options_.apiserver_endpoint = "127.0.0.1:" + std::to_string(node->apiserver_port);
  } else {
    root = std::make_unique<NodeRoot>(options.root ? fs::absolute(*options.root).lexically_normal() : fs::path("/"));
    if (!fs::is_directory(root->root())) fail_input("--root " + root->root().string() + " is not a directory");
  }
  if (!options.role.empty()) {
    auto r = parse_role(options.role);
    if (!r) fail_input("invalid --role '" + options.role + "': use first-control-plane, other-control-plane or worker");
    fact_options_.role_override = r;
    fact_options_.role_override_source = "--role";
  }
  fact_options_.ignore_preflight_errors = options.ignore_preflight_errors;
  fact_options_.allow_experimental_upgrades = options.allow_experimental_upgrades;
  fact_options_.allow_release_candidate_upgrades = options.allow_release_candidate_upgrades;
  fact_options_.kubeconfig = options.kubeconfig;
  if (!options.kubeconfig.empty() && !fs::is_regular_file(*root->map(options.kubeconfig)))
    fail_input("--kubeconfig " + options.kubeconfig + " is not a file on node " +
               (options.node.empty() ? root->root().string() : options.node) + "; pass the kubeconfig kuphost should use");
  runner = std::make_unique<RealCommandRunner>(search_path, env);

  if (options.config) config = load_config(*options.config, true);
  else config = load_config(*root->map("/etc/kuphost/kuphost.yaml"), false);
  // --binaries-from wins over the file's windows-node.binaries-from.
  if (!options.binaries_from.empty()) {
    // The admin machine's directory: under the root for --root and sandbox nodes.
    if (!fs::is_directory(*root->map(options.binaries_from)))
      fail_input("--binaries-from " + options.binaries_from +
                 " is not a directory on this machine; pass the directory holding kubelet.exe and its .sha256");
    config.sections["windows-node"]["binaries-from"] = options.binaries_from;
    config.section_lines.emplace("windows-node", 0);
  }
}

void Session::load_plugins() {
  std::vector<fs::path> dirs = options.plugin_dirs;
  for (const auto &d : config.plugin_dirs) dirs.push_back(d);
  catalog = std::make_unique<PluginCatalog>(default_plugin_dirs(dirs),
                                            options.allow_insecure_plugin_dir || config.allow_insecure_plugin_dir);
  catalog->scan();
  select_plugins();

  // Config sections may name plugins that are installed but not selected.
  std::vector<const LoadedPlugin *> known = selected;
  for (const auto &[name, node] : config.sections) {
    (void)node;
    bool found = false;
    for (const auto *p : known) found = found || p->id == name || p->has_alias(name);
    if (found) continue;
    try {
      known.push_back(&catalog->resolve(name));
    } catch (const Failure &) {
      // validate_config reports it as an unknown key with file and line.
    }
  }
  validate_config(config, known);
}

void Session::gather_node_facts() {
  facts = gather_facts(*root, fs, fact_options_);
  if (options.sandbox || options.node.empty()) return;
  // --node outside a sandbox: a Windows worker driven from this machine.
  const std::string kubeconfig = options.kubeconfig.empty() ? "/etc/kubernetes/admin.conf" : options.kubeconfig;
  if (!fs::is_regular_file(*root->map(kubeconfig)))
    fail_input("--node " + options.node + " drives a Windows worker from this machine and needs admin credentials: " +
               kubeconfig + " is not a file; pass --kubeconfig");
  describe_remote_node(facts, *runner, options.node, kubeconfig, root->map(kubeconfig)->string());
}

void Session::select_plugins() {
  std::vector<std::string> names;
  if (options.plugins) {
    names = split(*options.plugins, ',');
    if (names.empty()) fail_input("--plugins is empty; name at least one plugin, e.g. --plugins apt");
    explicitly_requested.insert(names.begin(), names.end());
  } else if (!config.plugins.empty()) {
    names = config.plugins;
    explicitly_requested.insert(names.begin(), names.end());
  }
  std::vector<LoadedPlugin *> chosen;
  // The built-in kubeadm workflow is always part of a run.
  chosen.push_back(&catalog->resolve("kubeadm"));
  if (names.empty()) {
    for (auto *p : catalog->load_all())
      if (p->id != "kubeadm") chosen.push_back(p);
  } else {
    for (const auto &n : names) {
      LoadedPlugin *p = &catalog->resolve(n);
      if (std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
    }
  }
  // Requested names are plugin ids from here on, so that aliases match too.
  std::set<std::string> ids;
  for (const auto &n : explicitly_requested)
    for (auto *p : chosen)
      if (p->id == n || p->has_alias(n)) ids.insert(p->id);
  explicitly_requested = ids;
  selected.assign(chosen.begin(), chosen.end());
}

void Session::compose_run() {
  compose_only();
  start_node_services();
}

void Session::compose_only() { composition = compose(selected, facts, explicitly_requested); }

void Session::start_node_services() {
  // Only now run anything on the node: every input error is reported first.
  // A sandbox node's kubectl needs the sandbox's API server; start it here
  // (not in prepare_node) so that bad input leaves the sandbox untouched.
  if (options.sandbox) {
    std::string message, err;
    if (!sandbox::apiserver_up(*options.sandbox, apiserver_path(), 0, &message, &err))
      logging::write(KUP_LOG_WARNING, "[sandbox] " + err + "; kubectl on the node will fail");
  }
  probe_versions(facts, *runner);
}

}  // namespace kuphost
