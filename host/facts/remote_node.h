// A node kuphost does not run on: a Windows worker driven from this (Linux
// admin) machine, named with --node outside a sandbox. Its distro and
// architecture come from the Node object (status.nodeInfo), read with the
// real kubectl, since there is no os-release to read.
#pragma once

#include <string>

#include "facts/node_facts.h"
#include "services/command_runner.h"

namespace kuphost {

// Turns `facts` (gathered from this machine) into those of node `name`.
// `kubeconfig`: a file on this machine with rights to read Nodes, as the
// operator named it (for messages); `kubeconfig_path`: where it is under
// --root (the same without one). Throws
// Failure (invalid input) when the node is unknown, kubectl cannot answer,
// or the node is not Windows (Linux nodes run kuphost themselves).
void describe_remote_node(NodeFacts &facts, CommandRunner &runner, const std::string &name,
                          const std::string &kubeconfig, const std::string &kubeconfig_path);

}  // namespace kuphost
