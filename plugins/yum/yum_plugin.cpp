// yum: the Kubernetes packages of RHEL-family and Fedora nodes from
// pkgs.k8s.io, through dnf (or classic yum where dnf is absent). Serves
// kuphost.package-manager/1 and switches the per-minor repository.
#include <kuphost/ext/package_manager.h>
#include <kuphost/kuphost.hpp>

#include "support/package_manager_provider.hpp"
#include "support/repository_file.hpp"
#include "yum_backend.h"

namespace kuphost_plugins::yum {

class YumPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "RHEL/Fedora packages from pkgs.k8s.io (dnf/yum)";
    info.extensions = {KUP_EXT_PACKAGE_MANAGER_V1};
    kup::PhaseSpec repository;
    repository.id = "repository";
    repository.title = "Switch the yum repository";
    repository.description =
        "pkgs.k8s.io serves one repository per minor, so dnf sees the target's packages "
        "only after baseurl and gpgkey point at it.";
    repository.stage = KUP_STAGE_REPOSITORIES;
    repository.distro_families = KUP_DISTRO_RHEL;
    repository.plan = kup::phase<&YumPlugin::plan_repository>();
    repository.apply = kup::phase<&YumPlugin::apply_repository>();
    repository.rollback = kup::phase<&YumPlugin::rollback_repository>();
    info.phases = {repository};
  }

  explicit YumPlugin(kup::Host host)
      : host_(host),
        tool_(YumTool::detect(host_)),
        repository_(host_, kRepositoryFile, tool_.refresh_commands()),
        backend_(host_, tool_, repository_),
        table_(backend_, tool_.manager) {}

  const void *extension(std::string_view id) const {
    return id == KUP_EXT_PACKAGE_MANAGER_V1 ? table_.table() : nullptr;
  }

  void plan_repository(const kup::Call &call) { repository_.plan(call); }
  void apply_repository(const kup::Call &call) { repository_.apply(call); }
  void rollback_repository(const kup::Call &call) { repository_.rollback(call); }

 private:
  kup::Host host_;
  YumTool tool_;
  RepositoryFile repository_;
  YumBackend backend_;
  PackageManagerTable table_;
};

}  // namespace kuphost_plugins::yum

KUPHOST_PLUGIN(kuphost_plugins::yum::YumPlugin, "yum", KUPHOST_PLUGINS_RELEASE)
