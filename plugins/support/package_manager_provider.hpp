//===- support/package_manager_provider.hpp - serving kuphost.package-manager/1
//
// The provider side of the extension: a plugin implements PackageBackend in
// C++ and publishes it through a PackageManagerTable, which owns the C table
// and turns exceptions into status codes at each C entry point.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_SUPPORT_PACKAGE_MANAGER_PROVIDER_HPP
#define KUPHOST_PLUGINS_SUPPORT_PACKAGE_MANAGER_PROVIDER_HPP

#include <optional>
#include <string>
#include <vector>

#include <kuphost/ext/package_manager.h>
#include <kuphost/kuphost.hpp>

#include "support/guard.hpp"
#include "support/package_pin.hpp"

namespace kuphost_plugins {

// What a distro's package manager must do for the kubeadm workflow. Versions
// are package versions as the distro spells them.
class PackageBackend {
 public:
  virtual ~PackageBackend() = default;
  // Newest first, without duplicates.
  virtual std::vector<std::string> available_versions(const std::string &package) = 0;
  virtual std::optional<std::string> installed_version(const std::string &package) = 0;
  // One transaction; leaves the packages held. Idempotent.
  virtual void install(const std::vector<PackagePin> &pins) = 0;
  virtual void hold(const std::vector<std::string> &packages) = 0;
  virtual void unhold(const std::vector<std::string> &packages) = 0;
  // Points the Kubernetes repository at `minor` ("v1.31") and refreshes the
  // index. Idempotent.
  virtual void switch_repository(const std::string &minor) = 0;
  // The versions of `package` in another minor's repository ("v1.31"),
  // newest first, without switching the node's repository; temporary files
  // only under scratch_dir() (see below). Backends that cannot do it keep
  // this default.
  virtual std::vector<std::string> available_versions_in_minor(const std::string &package,
                                                               const std::string &minor) {
    (void)package;
    (void)minor;
    throw kup::Error(KUP_E_UNSUPPORTED, "this package manager cannot list another minor's versions");
  }

  // "<name> <installed or -> <new>" per pin, read-only.
  std::vector<std::string> preview(const std::vector<PackagePin> &pins) {
    std::vector<std::string> lines;
    for (const auto &pin : pins)
      lines.push_back(pin.name + " " + installed_version(pin.name).value_or("-") + " " + pin.version);
    return lines;
  }
};

// The node directory a backend may write temporary files in during
// available_versions_in_minor: the host creates it before the call, allows
// writes there in plan and dry-run too, and removes it afterwards
// (fact run.scratch-dir, sdk/include/kuphost/ext/package_manager.h).
inline std::string scratch_dir(const kup::Host &host) {
  const auto dir = host.fact("run.scratch-dir");
  if (!dir || dir->empty())
    throw kup::Error(KUP_E_UNSUPPORTED,
                     "kuphost gave no scratch directory (fact run.scratch-dir) for listing another minor's "
                     "versions; that fact is set only while kuphost resolves a target version");
  return *dir;
}

// The C table for one backend. Must outlive every use of table(): keep it a
// member of the plugin object, which lives until deinit.
class PackageManagerTable {
 public:
  PackageManagerTable(PackageBackend &backend, std::string manager)
      : backend_(backend), manager_(std::move(manager)) {
    table_ = kup_package_manager{};
    table_.struct_size = sizeof table_;
    table_.plugin_ctx = this;
    table_.manager = kup::to_kup(manager_);
    table_.available_versions = &available_versions_cb;
    table_.installed_version = &installed_version_cb;
    table_.install = &install_cb;
    table_.hold = &hold_cb;
    table_.unhold = &unhold_cb;
    table_.switch_repository = &switch_repository_cb;
    table_.preview = &preview_cb;
    table_.available_versions_in_minor = &available_versions_in_minor_cb;
  }
  PackageManagerTable(const PackageManagerTable &) = delete;
  PackageManagerTable &operator=(const PackageManagerTable &) = delete;

  const kup_package_manager *table() const noexcept { return &table_; }

 private:
  static PackageBackend &backend(const kup_package_manager *self) {
    return static_cast<PackageManagerTable *>(self->plugin_ctx)->backend_;
  }
  static void write(const kup_sink *out, const std::string &text) {
    if (out && out->write && !text.empty()) out->write(out, text.data(), text.size());
  }
  static std::vector<PackagePin> pins_of(const kup_package_pin *pins, size_t count) {
    std::vector<PackagePin> out;
    for (size_t i = 0; pins && i < count; ++i)
      out.push_back({std::string(kup::to_sv(pins[i].name)), std::string(kup::to_sv(pins[i].version))});
    if (out.empty()) throw kup::Error(KUP_E_INVALID_ARGUMENT, "no packages given");
    return out;
  }
  static std::vector<std::string> names_of(const kup_str *names, size_t count) {
    std::vector<std::string> out;
    for (size_t i = 0; names && i < count; ++i) out.emplace_back(kup::to_sv(names[i]));
    if (out.empty()) throw kup::Error(KUP_E_INVALID_ARGUMENT, "no packages given");
    return out;
  }

  static kup_status KUP_ABI available_versions_cb(const kup_package_manager *self, kup_str package,
                                                  const kup_sink *out, const kup_error *error) noexcept {
    return guarded(error, [&] {
      std::string text;
      for (const auto &v : backend(self).available_versions(std::string(kup::to_sv(package))))
        text += v + "\n";
      write(out, text);
    });
  }
  static kup_status KUP_ABI installed_version_cb(const kup_package_manager *self, kup_str package,
                                                 const kup_sink *out, const kup_error *error) noexcept {
    return guarded(error, [&] {
      const std::string name(kup::to_sv(package));
      const auto version = backend(self).installed_version(name);
      if (!version) throw kup::Error(KUP_E_NOT_FOUND, name + " is not installed");
      write(out, *version);
    });
  }
  static kup_status KUP_ABI install_cb(const kup_package_manager *self, const kup_package_pin *pins,
                                       size_t pin_count, const kup_error *error) noexcept {
    return guarded(error, [&] { backend(self).install(pins_of(pins, pin_count)); });
  }
  static kup_status KUP_ABI hold_cb(const kup_package_manager *self, const kup_str *packages,
                                    size_t package_count, const kup_error *error) noexcept {
    return guarded(error, [&] { backend(self).hold(names_of(packages, package_count)); });
  }
  static kup_status KUP_ABI unhold_cb(const kup_package_manager *self, const kup_str *packages,
                                      size_t package_count, const kup_error *error) noexcept {
    return guarded(error, [&] { backend(self).unhold(names_of(packages, package_count)); });
  }
  static kup_status KUP_ABI switch_repository_cb(const kup_package_manager *self, kup_str minor,
                                                 const kup_error *error) noexcept {
    return guarded(error, [&] { backend(self).switch_repository(std::string(kup::to_sv(minor))); });
  }
  static kup_status KUP_ABI available_versions_in_minor_cb(const kup_package_manager *self, kup_str package,
                                                           kup_str minor, const kup_sink *out,
                                                           const kup_error *error) noexcept {
    return guarded(error, [&] {
      std::string text;
      for (const auto &v : backend(self).available_versions_in_minor(std::string(kup::to_sv(package)),
                                                                     std::string(kup::to_sv(minor))))
        text += v + "\n";
      write(out, text);
    });
  }
  static kup_status KUP_ABI preview_cb(const kup_package_manager *self, const kup_package_pin *pins,
                                       size_t pin_count, const kup_sink *out,
                                       const kup_error *error) noexcept {
    return guarded(error, [&] {
      std::string text;
      for (const auto &line : backend(self).preview(pins_of(pins, pin_count))) text += line + "\n";
      write(out, text);
    });
  }

  PackageBackend &backend_;
  std::string manager_;
  kup_package_manager table_{};
};

}  // namespace kuphost_plugins

#endif  // KUPHOST_PLUGINS_SUPPORT_PACKAGE_MANAGER_PROVIDER_HPP
