//===- cni-calico/calico_upgrade.h - the Calico upgrade as the phases run it
//
// check_compatibility is the preflight (and the upgrade's first step): the
// configured Calico must be tested with the target Kubernetes minor. The
// upgrade stages the release's manifests, saves what they replace, applies
// them server-side in order and waits for Calico to settle; when it does not
// within cni-calico.rollout-timeout it re-applies the saved objects and
// fails. Rollback (a later phase failed) re-applies them too.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_CNI_CALICO_CALICO_UPGRADE_H
#define KUPHOST_PLUGINS_CNI_CALICO_CALICO_UPGRADE_H

#include <optional>
#include <string>
#include <vector>

#include <kuphost/ext/backup_set.h>
#include <kuphost/kuphost.hpp>

#include "calico_install.h"
#include "calico_settings.h"
#include "calico_staging.h"

namespace kuphost_plugins::cni_calico {

inline constexpr const char *kNoCalico =
    "no Calico found: no Installation resource, no Deployment in namespace tigera-operator and no "
    "kube-system/calico-node DaemonSet";

// Throws kup::Error KUP_E_INVALID_CONFIG when cni-calico.version is not
// tested with `target` (both ranges named) or unknown to the table. Returns
// notes: "WARNING: ..." when the installed Calico is untested with the target
// and no version is configured.
std::vector<std::string> check_compatibility(const CalicoSettings &settings, const CalicoInstall &install,
                                             const std::optional<KubeVersion> &target);

// The upgrade's steps for plan and dry-run.
std::vector<std::string> describe_upgrade(const kup::Host &host, const CalicoSettings &settings,
                                          const CalicoInstall &install, const std::optional<KubeVersion> &target);

struct UpgradeOutcome {
  bool changed = false;
  std::string summary;
};

// The upgrade phase's apply (not in dry-run: describe_upgrade). `set`:
// kuphost.backup-set/1 when a plugin offers it (may be NULL); the backup
// goes into this run's set when there is one (calico_backup.h).
UpgradeOutcome run_upgrade(const kup::Host &host, const CalicoSettings &settings, const CalicoInstall &install,
                           const std::optional<KubeVersion> &target, const Progress &progress,
                           const kup_backup_set *set = nullptr);

// Re-applies what run_upgrade saved in this run and waits for Calico to
// settle on the previous version. Empty when this run saved nothing.
std::string roll_back_upgrade(const kup::Host &host, const CalicoSettings &settings, const Progress &progress,
                              const kup_backup_set *set = nullptr);

}  // namespace kuphost_plugins::cni_calico

#endif  // KUPHOST_PLUGINS_CNI_CALICO_CALICO_UPGRADE_H
