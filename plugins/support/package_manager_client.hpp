//===- support/package_manager_client.hpp - using kuphost.package-manager/1 ===//
//
// The consumer side of the extension: finds the table another plugin (apt,
// yum) publishes for this node and calls it, turning its status codes into
// kup::Error so phase code reads like ordinary C++.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_PACKAGE_MANAGER_CLIENT_HPP
#define KUPHOST_PLUGINS_SUPPORT_PACKAGE_MANAGER_CLIENT_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kuphost/ext/package_manager.h>
#include <kuphost/kuphost.hpp>

#include "support/package_pin.hpp"
#include "support/text.hpp"

namespace kuphost_plugins {

class PackageManagerClient {
 public:
  // Throws KUP_E_PREREQUISITE_MISSING when no selected plugin serves the
  // extension here; composition normally leaves such phases out first.
  static PackageManagerClient find(const kup::Host &host) {
    std::string provider;
    const auto *table = host.extension<kup_package_manager>(KUP_EXT_PACKAGE_MANAGER_V1, &provider);
    if (!table)
      throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                       "no selected plugin serves " KUP_EXT_PACKAGE_MANAGER_V1
                       " on this node; add apt (Debian, Ubuntu) or yum (RHEL, Fedora) to --plugins");
    return PackageManagerClient(table, std::move(provider));
  }

  // "apt", "dnf" or "yum".
  std::string manager() const { return std::string(kup::to_sv(table_->manager)); }
  // The plugin id that serves the table.
  const std::string &provider() const noexcept { return provider_; }

  // Newest first; empty when the configured repositories offer none.
  std::vector<std::string> available_versions(std::string_view package) const {
    require(&kup_package_manager::available_versions, "available_versions");
    kup::StringSink out;
    kup::ErrorCapture error;
    const kup_status st = table_->available_versions(table_, kup::to_kup(package), out.get(), error.get());
    if (st != KUP_OK) error.raise(st, manager() + " cannot list the versions of " + std::string(package));
    std::vector<std::string> versions;
    for (const auto &line : lines_of(out.str()))
      if (!trim(line).empty()) versions.emplace_back(trim(line));
    return versions;
  }

  // Whether the provider can list another minor's versions (its table may
  // predate available_versions_in_minor, or leave it NULL).
  bool lists_other_minors() const { return has(&kup_package_manager::available_versions_in_minor); }

  // The versions of `package` in `minor`'s repository ("v1.31"), newest
  // first, without switching the node's repository. Throws
  // KUP_E_UNSUPPORTED when the provider cannot (see lists_other_minors()).
  std::vector<std::string> available_versions_in_minor(std::string_view package, std::string_view minor) const {
    require(&kup_package_manager::available_versions_in_minor, "available_versions_in_minor");
    kup::StringSink out;
    kup::ErrorCapture error;
    const kup_status st = table_->available_versions_in_minor(table_, kup::to_kup(package), kup::to_kup(minor),
                                                              out.get(), error.get());
    if (st != KUP_OK)
      error.raise(st, manager() + " cannot list the " + std::string(minor) + " versions of " + std::string(package));
    std::vector<std::string> versions;
    for (const auto &line : lines_of(out.str()))
      if (!trim(line).empty()) versions.emplace_back(trim(line));
    return versions;
  }

  // nullopt when the package is not installed.
  std::optional<std::string> installed_version(std::string_view package) const {
    require(&kup_package_manager::installed_version, "installed_version");
    kup::StringSink out;
    kup::ErrorCapture error;
    const kup_status st = table_->installed_version(table_, kup::to_kup(package), out.get(), error.get());
    if (st == KUP_E_NOT_FOUND) return std::nullopt;
    if (st != KUP_OK)
      error.raise(st, manager() + " cannot tell the installed version of " + std::string(package));
    const std::string version(trim(out.str()));
    if (version.empty()) return std::nullopt;
    return version;
  }

  void install(const std::vector<PackagePin> &pins) const {
    require(&kup_package_manager::install, "install");
    const auto c_pins = to_c(pins);
    kup::ErrorCapture error;
    const kup_status st = table_->install(table_, c_pins.data(), c_pins.size(), error.get());
    if (st != KUP_OK) error.raise(st, manager() + " could not install " + describe_pins(pins));
  }

  void switch_repository(std::string_view minor) const {
    require(&kup_package_manager::switch_repository, "switch_repository");
    kup::ErrorCapture error;
    const kup_status st = table_->switch_repository(table_, kup::to_kup(minor), error.get());
    if (st != KUP_OK)
      error.raise(st, manager() + " could not point the Kubernetes repository at " + std::string(minor));
  }

 private:
  PackageManagerClient(const kup_package_manager *table, std::string provider)
      : table_(table), provider_(std::move(provider)) {}

  // A provider built against an older header may publish a shorter table.
  template <class Field>
  bool has(Field kup_package_manager::*member) const {
    const auto *base = reinterpret_cast<const char *>(table_);
    const auto *field = reinterpret_cast<const char *>(&(table_->*member));
    const size_t end = static_cast<size_t>(field - base) + sizeof(Field);
    return table_->struct_size >= end && table_->*member;
  }
  template <class Field>
  void require(Field kup_package_manager::*member, const char *name) const {
    if (!has(member))
      throw kup::Error(KUP_E_UNSUPPORTED, "the " KUP_EXT_PACKAGE_MANAGER_V1 " table of " + provider_ +
                                              " has no " + name + "; upgrade that plugin");
  }

  static std::vector<kup_package_pin> to_c(const std::vector<PackagePin> &pins) {
    std::vector<kup_package_pin> out;
    for (const auto &p : pins) out.push_back({kup::to_kup(p.name), kup::to_kup(p.version)});
    return out;
  }

  const kup_package_manager *table_;
  std::string provider_;
};

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_PACKAGE_MANAGER_CLIENT_HPP
