// Discovery (/api, /apis, /api/v1, /apis/GROUP/VERSION) and /version: what
// kubectl reads to map `kubectl get pdb` to a URL. Legacy (non-aggregated)
// discovery, which every kubectl understands.
#pragma once

#include <optional>
#include <string>

#include "api_types.h"
#include "cluster_state.h"
#include "object_store.h"

namespace kuphost::sandbox::apiserver {

// nullopt when `path` is not a discovery path.
std::optional<Response> discovery(const std::string &path, int port, const detail::ObjectStore &store);

Response version_response(const detail::ClusterState &state);

}  // namespace kuphost::sandbox::apiserver
