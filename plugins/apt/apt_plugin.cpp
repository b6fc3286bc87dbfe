// apt: the Kubernetes packages of Debian and Ubuntu nodes from pkgs.k8s.io.
// Serves kuphost.package-manager/1 to the kubeadm workflow and switches the
// per-minor repository before kubeadm is installed.
#include <kuphost/ext/package_manager.h>
#include <kuphost/kuphost.hpp>

#include "apt_backend.h"
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
    info.config_keys = {{"sources-file", KUP_CONFIG_STRING, "/etc/apt/sources.list.d/kubernetes.list",
                         "The apt sources file that holds the pkgs.k8s.io repository line."}};
  }

  explicit AptPlugin(kup::Host host)
      : host_(host),
        repository_(host_, sources_file(),
                    {{"apt-get", "update", "--error-on=any"}}),
        backend_(host_, repository_, sources_file()),
        table_(backend_, "apt") {}

  const void *extension(std::string_view id) const {
    return id == KUP_EXT_PACKAGE_MANAGER_V1 ? table_.table() : nullptr;
  }

  void plan_repository(const kup::Call &call) { repository_.plan(call); }
  void apply_repository(const kup::Call &call) { repository_.apply(call); }
  void rollback_repository(const kup::Call &call) { repository_.rollback(call); }

 private:
  std::string sources_file() const {
    return host_.config("sources-file").value_or("/etc/apt/sources.list.d/kubernetes.list");
  }

  kup::Host host_;
  RepositoryFile repository_;
  AptBackend backend_;
  PackageManagerTable table_;
};

}  // namespace kuphost_plugins::apt

KUPHOST_PLUGIN(kuphost_plugins::apt::AptPlugin, "apt", KUPHOST_PLUGINS_RELEASE)
