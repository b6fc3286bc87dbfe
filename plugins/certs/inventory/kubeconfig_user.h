// The user of a kubeconfig's current context: whose client certificate the
// file authenticates with (kubeadm writes one user, one context).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>

namespace kuphost_plugins::certs {

// That user's `user` map; the first user when the current context names
// none; nullopt when there are no users. Nodes are returned, never assigned:
// assigning a yaml-cpp node rebinds the document's node it refers to.
std::optional<YAML::Node> kubeconfig_current_user(const YAML::Node &config);

}  // namespace kuphost_plugins::certs
