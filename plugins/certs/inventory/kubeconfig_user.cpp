#include "kubeconfig_user.h"

#include <string>

namespace kuphost_plugins::certs {

std::optional<YAML::Node> kubeconfig_current_user(const YAML::Node &config) {
  std::string user_name;
  if (const auto current = config["current-context"]; current && current.IsScalar())
    for (const auto &context : config["contexts"])
      if (context["name"].as<std::string>("") == current.as<std::string>())
        user_name = context["context"]["user"].as<std::string>("");
  for (const auto &entry : config["users"])
    if (entry["name"].as<std::string>("") == user_name) return entry["user"];
  for (const auto &entry : config["users"]) return entry["user"];
  return std::nullopt;
}

}  // namespace kuphost_plugins::certs
