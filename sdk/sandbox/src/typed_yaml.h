// YAML trees standing for JSON objects (the objects kubectl applies): which
// scalars are strings (quoted in the source, or not a JSON literal), JSON
// output, and YAML output that reads back with the same types.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

namespace kuphost::sandbox::detail {

// A scalar that was quoted ("3", "true") or is no JSON number/bool/null.
bool is_string_scalar(const YAML::Node &scalar);
// Compact JSON; `sorted` orders object keys (for comparing trees).
std::string to_json(const YAML::Node &node, bool sorted = false);
// Block YAML; strings that look like literals are double-quoted.
std::string emit_typed_yaml(const YAML::Node &node);
// Same content, key order ignored.
bool same_tree(const YAML::Node &a, const YAML::Node &b);
// RFC 7386 JSON merge patch of `patch` onto a copy of `target`.
YAML::Node merge_patch(const YAML::Node &target, const YAML::Node &patch);
// A copy of map `node` without `keys`. (yaml-cpp's Node::remove corrupts
// maps that get keys added afterwards, so objects are never edited with it.)
YAML::Node without_keys(const YAML::Node &node, std::initializer_list<std::string> keys);
// A string scalar that stays a string whatever it looks like ("3", "true").
YAML::Node string_node(const std::string &value);

}  // namespace kuphost::sandbox::detail
