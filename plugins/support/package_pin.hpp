//===- support/package_pin.hpp - one package at one exact version ---------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_PACKAGE_PIN_HPP
#define KUPHOST_PLUGINS_SUPPORT_PACKAGE_PIN_HPP

#include <string>
#include <vector>

namespace kuphost_plugins {

// The owning counterpart of kup_package_pin.
struct PackagePin {
  std::string name;     // "kubeadm"
  std::string version;  // as the distro spells it: "1.31.2-1.1", "1.31.2-150500.1.1"
};

// "kubeadm=1.31.2-1.1 kubelet=1.31.2-1.1", for plans and summaries.
inline std::string describe_pins(const std::vector<PackagePin> &pins) {
  std::string out;
  for (const auto &p : pins) out += (out.empty() ? "" : " ") + p.name + "=" + p.version;
  return out;
}

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_PACKAGE_PIN_HPP
