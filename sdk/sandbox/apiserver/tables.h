// Server-side printing: kubectl's default `get` output asks for a
// meta.k8s.io/v1 Table (Accept: ...;as=Table;...) and prints its columns, so
// `kubectl get nodes` shows STATUS, ROLES, AGE and VERSION as against a real
// cluster. A plain list stays the answer for every other Accept.
#pragma once

#include <vector>

#include "api_types.h"
#include "cluster_state.h"
#include "objects.h"

namespace kuphost::sandbox::apiserver {

bool wants_table(const Request &req);

// The columns kube-apiserver prints for nodes (priority 1 = `-o wide` only);
// `items` are the filtered Node objects, in the state's order.
Json node_table_json(const detail::ClusterState &state, const std::vector<Json> &items);

}  // namespace kuphost::sandbox::apiserver
