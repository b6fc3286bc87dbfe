// Composition: which phases of the selected plugins run on this node, in
// which order, and why. Uses only descriptor data: no plugin code runs.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "facts/node_facts.h"
#include "loader/plugin.h"

namespace kuphost {

struct PlannedPhase {
  const PhaseInfo *phase = nullptr;
  const LoadedPlugin *plugin = nullptr;
  std::string why;  // the conditions that made it apply
};

struct LeftOutPhase {
  const PhaseInfo *phase = nullptr;
  std::string why;
};

struct Composition {
  std::vector<const LoadedPlugin *> plugins;  // selected, in selection order
  std::vector<PlannedPhase> phases;           // in execution order
  std::vector<LeftOutPhase> left_out;
  // Extension id -> the plugin that serves it on this node.
  std::map<std::string, const LoadedPlugin *> extension_providers;
};

const char *stage_name(kup_stage stage);  // "preflight", "control-plane", ...
std::string describe_families(uint32_t mask);
std::string describe_roles(uint32_t mask);
std::string describe_etcd(uint32_t mask);

// `explicitly_requested`: plugin ids the operator named; one made for another
// distro family is an error (Failure kInvalidInput); phases that do not fit
// the node's role or etcd topology are left out with the reason. An
// ordering cycle is a Failure(kPluginError).
Composition compose(const std::vector<const LoadedPlugin *> &selected, const NodeFacts &facts,
                    const std::set<std::string> &explicitly_requested);

}  // namespace kuphost
