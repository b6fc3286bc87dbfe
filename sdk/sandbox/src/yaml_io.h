// yaml-cpp glue shared by the state files: emitting with a trailing newline,
// and reading required fields with errors that name the field.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace kuphost::sandbox::detail {

std::string emit_yaml(const YAML::Node &node);

// The scalar at `key`, or a std::runtime_error naming `what` and `key`.
std::string required_string(const YAML::Node &map, const char *key, const std::string &what);

// Parses `text`, turning yaml-cpp's exceptions into std::runtime_error
// naming `what` (usually the file).
YAML::Node load_yaml(const std::string &text, const std::string &what);

}  // namespace kuphost::sandbox::detail
