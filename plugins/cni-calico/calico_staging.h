//===- cni-calico/calico_staging.h - the release's manifests, on the node
//
// The files an upgrade applies, in order (calico.md §4): operator installs
// the CRDs first from 3.30 on (operator-crds.yaml; v1_crd_projectcalico_org.yaml
// from 3.32), then tigera-operator.yaml; manifest installs calico.yaml, or the
// operator's own edited copy (cni-calico.manifest). They are fetched with
// curl on the node, or taken from a checked release bundle, into
// /var/lib/kuphost/calico-<version>/manifests/.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_STAGING_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_STAGING_H

#include <functional>
#include <string>
#include <vector>

#include <kuphost/kuphost.hpp>

#include "calico_install.h"
#include "calico_settings.h"

namespace kuphost_plugins::cni_calico {

using Progress = std::function<void(const std::string &)>;

// The release's file names to apply, in order.
std::vector<std::string> release_files(const CalicoInstall &install, const KubeVersion &calico);

// "/var/lib/kuphost/calico-v3.30.3/manifests"
std::string staging_dir(const CalicoSettings &settings);

// The node paths the upgrade applies, in order (staged or the local manifest).
std::vector<std::string> files_to_apply(const CalicoSettings &settings, const CalicoInstall &install);

// What stage_release does, one line each, for plan and dry-run.
std::vector<std::string> describe_staging(const CalicoSettings &settings,
                                          const CalicoInstall &install);

// The bundle's digest against cni-calico.bundle-sha256 (read-only); throws
// kup::Error KUP_E_INVALID_CONFIG on a mismatch, KUP_E_PREREQUISITE_MISSING
// when the bundle is absent. No-op without a bundle.
void check_bundle(const kup::Host &host, const CalicoSettings &settings);

// Fetches or unpacks the files; returns files_to_apply(). Throws kup::Error
// (KUP_E_IO, KUP_E_INVALID_CONFIG) before anything in the cluster changes.
std::vector<std::string> stage_release(const kup::Host &host, const CalicoSettings &settings,
                                       const CalicoInstall &install, const Progress &progress);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_STAGING_H
