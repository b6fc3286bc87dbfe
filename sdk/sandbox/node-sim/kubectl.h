// kubectl's subcommands against cluster.yaml, and what they share.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "cluster_state.h"
#include "flags.h"
#include "invocation.h"

namespace kuphost::sandbox::sim {

// Flags every kubectl subcommand accepts.
std::vector<FlagSpec> kubectl_global_flags();

int kubectl_get(Invocation &inv, const ParsedFlags &flags);
int kubectl_cordon(Invocation &inv, const ParsedFlags &flags, bool cordon);
int kubectl_drain(Invocation &inv, const ParsedFlags &flags);

// "error: <message>" on stderr, exit code 1, as kubectl's CheckErr.
int kubectl_fail(Invocation &inv, const std::string &message);
// kubectl's NotFound error for a node.
int node_not_found(Invocation &inv, const std::string &name);

// Go's text/tabwriter as kubectl sets it up: columns padded by 3 spaces.
void print_table(std::ostream &out, const std::vector<std::vector<std::string>> &rows);

// k8s.io/apimachinery duration.HumanDuration, as the AGE column shows it.
std::string human_duration(long seconds);
// Seconds since an RFC 3339 UTC timestamp; 0 if it does not parse.
long seconds_since(const std::string &rfc3339);

}  // namespace kuphost::sandbox::sim
