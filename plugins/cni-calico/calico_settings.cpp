#include "calico_settings.h"

#include "support/settings.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {

CalicoSettings CalicoSettings::read(const kup::Host &host) {
  const Settings config(host, "cni-calico");
  CalicoSettings s;
  if (const std::string version(trim(config.text("version"))); !version.empty()) {
    s.version = KubeVersion::parse(version);
    if (!s.version || !s.version->pre.empty() || s.version->major != 3)
      throw kup::Error(KUP_E_INVALID_CONFIG,
                       "cni-calico.version is '" + version + "'; it must be a Calico release such as v3.30.3");
  }
  if (const std::string url(trim(config.text("manifests-url"))); !url.empty()) {
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
      throw kup::Error(KUP_E_INVALID_CONFIG, "cni-calico.manifests-url is '" + url +
                                                 "'; it must be an http(s) URL of a release's manifests directory");
    s.manifests_url = url;
  }
  s.bundle = std::string(trim(config.text("bundle")));
  s.bundle_sha256 = std::string(trim(config.text("bundle-sha256")));
  if (!s.bundle.empty() && s.bundle_sha256.empty())
    throw kup::Error(KUP_E_INVALID_CONFIG,
                     "cni-calico.bundle is set without cni-calico.bundle-sha256; kuphost applies no unchecked bundle");
  if (!s.bundle_sha256.empty() &&
      (s.bundle_sha256.size() != 64 || s.bundle_sha256.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos))
    throw kup::Error(KUP_E_INVALID_CONFIG, "cni-calico.bundle-sha256 is '" + s.bundle_sha256 +
                                               "'; it must be 64 hex digits (sha256sum's first column)");
  if (!s.bundle.empty() && s.bundle.front() != '/')
    throw kup::Error(KUP_E_INVALID_CONFIG, "cni-calico.bundle is '" + s.bundle + "'; give the node path from /");
  s.manifest = std::string(trim(config.text("manifest")));
  if (!s.manifest.empty() && s.manifest.front() != '/')
    throw kup::Error(KUP_E_INVALID_CONFIG, "cni-calico.manifest is '" + s.manifest + "'; give the node path from /");
  s.rollout_timeout_ms = config.duration_ms("rollout-timeout", "10m");
  if (s.rollout_timeout_ms == 0)
    throw kup::Error(KUP_E_INVALID_CONFIG, "cni-calico.rollout-timeout must be longer than 0s");
  s.table = CompatTable::with_extension(config.text("tested-kubernetes"));
  return s;
}

std::string CalicoSettings::manifests_base() const {
  std::string url = manifests_url;
  for (auto at = url.find("{version}"); at != std::string::npos; at = url.find("{version}", at))
    url.replace(at, 9, version_text());
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace kuphost_plugins::cni_calico
