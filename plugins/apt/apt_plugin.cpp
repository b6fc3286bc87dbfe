// apt: the Kubernetes packages of Debian and Ubuntu nodes from pkgs.k8s.io.
// Serves kuphost.package-manager/1 to the kubeadm workflow and switches the
// per-minor repository before kubeadm is installed.
#include <kuphost/ext/package_manager.h>
#include <kuphost/kuphost.hpp>

#include "apt_backend.h"
#include "apt_sources.h"
#include "support/package_manager_provider.hpp"
#include "support/repository_file.hpp"

namespace kuphost_plugins::apt {

class AptPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Debian/Ubuntu packages from pkgs.k8s.io (apt)";
    info.extensions = {KUP_EXT_PACKAGE_MANAGER_V1};
    kup::PhaseSpec repository;
    repository.id = "repository";
    repository.title = "Switch the apt repository";
    repository.description =
        "pkgs.k8s.io serves one repository per minor, so apt sees the target's packages "
        "only after the switch.";
    repository.stage = KUP_STAGE_REPOSITORIES;
    repository.distro_families = KUP_DISTRO_DEBIAN;
    repository.plan = kup::phase<&AptPlugin::plan_repository>();
    repository.apply = kup::phase<&AptPlugin::apply_repository>();
    repository.rollback = kup::phase<&AptPlugin::rollback_repository>();
    info.phases = {repository};
    // No default value: the host would report it as set, and the plugin
    // could not fall back to the deb822 file.
    info.config_keys = {{"sources-file", KUP_CONFIG_STRING, "",
                         "The apt sources file that holds the pkgs.k8s.io repository. Unset: "
                         "/etc/apt/sources.list.d/kubernetes.list if it exists, else "
                         "/etc/apt/sources.list.d/kubernetes.sources (deb822)."}};
  }

  explicit AptPlugin(kup::Host host)
      : host_(host),
        sources_(choose_sources_file(host_, host_.config("sources-file"))),
        repository_(host_, sources_.path, {{"apt-get", "update", "--error-on=any"}}, sources_.missing_message),
        backend_(host_, repository_, sources_.path),
        table_(backend_, "apt") {}

  const void *extension(std::string_view id) const {
    return id == KUP_EXT_PACKAGE_MANAGER_V1 ? table_.table() : nullptr;
  }

  void plan_repository(const kup::Call &call) { repository_.plan(call); }
  void apply_repository(const kup::Call &call) { repository_.apply(call); }
  void rollback_repository(const kup::Call &call) { repository_.rollback(call); }

 private:
  kup::Host host_;
  SourcesFile sources_;
  RepositoryFile repository_;
  AptBackend backend_;
  PackageManagerTable table_;
};

}  // namespace kuphost_plugins::apt

KUPHOST_PLUGIN(kuphost_plugins::apt::AptPlugin, "apt", KUPHOST_PLUGINS_RELEASE)
