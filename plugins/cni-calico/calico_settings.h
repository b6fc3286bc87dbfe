//===- cni-calico/calico_settings.h - the cni-calico section of kuphost.yaml
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_SETTINGS_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_SETTINGS_H

#include <cstdint>
#include <optional>
#include <string>

#include <kuphost/kuphost.hpp>

#include "calico_compat.h"
#include "support/kube_version.hpp"

namespace kuphost_plugins::cni_calico {

inline constexpr const char *kDefaultManifestsUrl =
    "https://raw.githubusercontent.com/projectcalico/calico/{version}/manifests";

struct CalicoSettings {
  std::optional<KubeVersion> version;          // the target Calico; unset = no upgrade
  std::string manifests_url = kDefaultManifestsUrl;  // "{version}" substituted
  std::string bundle, bundle_sha256;           // a local release-vX.Y.Z.tgz and its digest
  std::string manifest;                        // a local, edited calico.yaml (manifest installs)
  uint64_t rollout_timeout_ms = 10 * 60 * 1000;
  CompatTable table;

  // Reads and checks the section; throws KUP_E_INVALID_CONFIG naming the key.
  static CalicoSettings read(const kup::Host &host);
  std::string version_text() const { return version ? version->str() : "vX.Y.Z"; }
  // The base URL with the version filled in.
  std::string manifests_base() const;
};

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_SETTINGS_H
