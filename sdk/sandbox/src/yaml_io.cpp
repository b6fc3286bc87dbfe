#include "yaml_io.h"

#include <stdexcept>

namespace kuphost::sandbox::detail {

std::string emit_yaml(const YAML::Node &node) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);  // Kubernetes writes `creationTimestamp: null`
  out << node;
  if (!out.good()) throw std::runtime_error("cannot emit YAML: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

std::string required_string(const YAML::Node &map, const char *key, const std::string &what) {
  const YAML::Node value = map[key];
  if (!value || !value.IsScalar()) throw std::runtime_error(what + ": missing field '" + key + "'");
  return value.as<std::string>();
}

YAML::Node load_yaml(const std::string &text, const std::string &what) {
  try {
    YAML::Node node = YAML::Load(text);
    if (!node.IsMap()) throw std::runtime_error(what + ": expected a YAML mapping");
    return node;
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(what + ": " + e.what());
  }
}

}  // namespace kuphost::sandbox::detail
