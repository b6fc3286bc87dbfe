// Kubernetes Status objects: what kubectl prints after "Error from server".
#pragma once

#include <string>

#include "api_types.h"

namespace kuphost::sandbox::apiserver {

// The object kubectl names in messages: resource "pods", group "" or
// "policy", kind "Pod".
struct ResourceRef {
  std::string resource, group, kind;
  // "pods" / "poddisruptionbudgets.policy", as in `pods "x" not found`.
  std::string qualified() const { return group.empty() ? resource : resource + "." + group; }
};

Response status_error(int code, const std::string &reason, const std::string &message);
Response not_found(const ResourceRef &ref, const std::string &name);
Response already_exists(const ResourceRef &ref, const std::string &name);
Response conflict(const ResourceRef &ref, const std::string &name);
Response invalid(const ResourceRef &ref, const std::string &name, const std::string &why);
Response bad_request(const std::string &message);
// {"status":"Success"} with the object's name, as DELETE and eviction answer.
Response status_success(int code, const ResourceRef &ref, const std::string &name);

}  // namespace kuphost::sandbox::apiserver
