// The resources the server knows: the built-in ones (some served from
// cluster.yaml, the rest kept in objects.yaml) and the ones each stored
// CustomResourceDefinition defines. Discovery lists them; the router maps a
// URL to one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "object_store.h"

namespace kuphost::sandbox::apiserver {

struct KindInfo {
  std::string group, version, resource, singular, kind;
  bool namespaced = true;
  std::vector<std::string> verbs, short_names;
  std::string sub_group, sub_version;  // a subresource served by another group (pods/eviction)
  bool stored = false;                 // objects.yaml keeps these (writes go there)
};

// Built-in kinds, then every served version of every stored CRD.
std::vector<KindInfo> all_kinds(const detail::ObjectStore &store);

// The kind behind /api(s)/GROUP/VERSION/.../RESOURCE; nullopt when unknown.
std::optional<KindInfo> find_kind(const detail::ObjectStore &store, const std::string &group, const std::string &version,
                                  const std::string &resource);

}  // namespace kuphost::sandbox::apiserver
