//===- support/static_pod_flags.hpp - flags of kubeadm's static-pod manifests
//
// kubeadm writes each command-line flag of a static pod as one list item,
// "    - --etcd-servers=https://10.0.0.10:2379". Plugins carry no YAML parser
// (yaml-cpp stays in the host), so this reads exactly that shape: it is a
// minimal extraction for kubeadm-generated manifests, not a YAML reader.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_STATIC_POD_FLAGS_HPP
#define KUPHOST_PLUGINS_SUPPORT_STATIC_POD_FLAGS_HPP

#include <optional>
#include <string>
#include <string_view>

#include "support/text.hpp"

namespace kuphost_plugins {

// The value of `--flag=value` in a kubeadm static-pod manifest, unquoted;
// nullopt when the flag is absent.
inline std::optional<std::string> static_pod_flag(std::string_view manifest, std::string_view flag) {
  const std::string prefix = std::string(flag) + "=";
  for (const auto &line : lines_of(manifest)) {
    std::string_view item = trim(line);
    if (item.empty() || item.front() != '-') continue;
    item = trim(item.substr(1));
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') && item.back() == item.front())
      item = item.substr(1, item.size() - 2);
    if (item.substr(0, prefix.size()) == prefix) return std::string(item.substr(prefix.size()));
  }
  return std::nullopt;
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_STATIC_POD_FLAGS_HPP
