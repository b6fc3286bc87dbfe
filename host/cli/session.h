// What every node command sets up from the options: the node root (plain or
// sandbox), the command runner with the node's PATH, the config, the plugin
// catalog and selection, the node facts and the composition.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/options.h"
#include "compose/composer.h"
#include "facts/node_facts.h"
#include "loader/plugin_catalog.h"
#include "services/clock.h"
#include "services/command_runner.h"
#include "services/config.h"
#include "services/file_system.h"

namespace kuphost {

class Session {
 public:
  explicit Session(const Options &options);

  // Resolves the node, reads config, scans and loads plugins, validates the
  // config and gathers facts. Throws Failure; changes nothing on the node.
  // The same as resolve_node(), load_plugins(), gather_node_facts().
  void prepare_node();
  // The node's root (plain or sandbox), its command runner and the config.
  void resolve_node();
  // Scans the plugin search path, selects and loads plugins, validates the
  // config against them.
  void load_plugins();
  void gather_node_facts();
  // Composes the run from the selection and the facts, then
  // start_node_services().
  void compose_run();
  // The composition alone, before anything runs on the node (for checks on it).
  void compose_only();
  // The first step that runs something on the node: starts a sandbox's API
  // server, probes the installed Kubernetes versions into the facts.
  void start_node_services();

  const Options &options;
  std::unique_ptr<NodeRoot> root;
  RealFileSystem fs;
  RealClock clock;
  std::unique_ptr<RealCommandRunner> runner;
  HostConfig config;
  std::unique_ptr<PluginCatalog> catalog;
  std::vector<const LoadedPlugin *> selected;
  std::set<std::string> explicitly_requested;
  NodeFacts facts;
  Composition composition;

 private:
  void select_plugins();
  FactOptions fact_options_;
};

std::filesystem::path executable_dir();
// libexec/kuphost/kuphost-apiserver next to the executable's bin/.
std::filesystem::path apiserver_path();

}  // namespace kuphost
