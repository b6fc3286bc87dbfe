#include "calico_upgrade.h"

#include "calico_backup.h"
#include "calico_rollout.h"
#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

// kuphost.state/1 keys, so rollback (also after a crash) finds the backup.
constexpr const char *kStateBackup = "upgrade/backup";
constexpr const char *kStateMethod = "upgrade/method";
constexpr const char *kStatePrevious = "upgrade/previous-version";

std::string found(const CalicoInstall &install) {
  return "found Calico " + (install.version.empty() ? std::string("of unknown version") : install.version) + " " +
         install.method_text();
}

CalicoInstall recorded_install(const kup::Host &host) {
  CalicoInstall install;
  install.method = host.state_get(kStateMethod).value_or("") == "operator" ? CalicoInstall::Method::kOperator
                                                                            : CalicoInstall::Method::kManifest;
  install.version = host.state_get(kStatePrevious).value_or("");
  return install;
}

// Re-applies the saved objects and waits (bounded) for the previous Calico.
// Returns a sentence for the failure message of the upgrade.
std::string restore(const kup::Host &host, const CalicoSettings &settings, const std::string &record,
                    const Progress &progress, const kup_backup_set *set) {
  try {
    if (reapply_backup(host, record, progress, set) == 0) return "nothing to roll back (no object existed before)";
    const CalicoInstall previous = recorded_install(host);
    wait_for_rollout(host, previous, previous.version, settings.rollout_timeout_ms, progress);
    return "rolled back: the objects saved in " + describe_backup(record) + " were re-applied and Calico " +
           (previous.version.empty() ? std::string("settled") : previous.version + " runs again");
  } catch (const kup::Error &e) {
    return std::string("the rollback did not finish either (") + e.what() + "); re-apply previous.yaml of " +
           describe_backup(record) + " by hand";
  }
}

}  // namespace

std::vector<std::string> check_compatibility(const CalicoSettings &settings, const CalicoInstall &install,
                                             const std::optional<KubeVersion> &target) {
  std::vector<std::string> notes;
  if (!target) return notes;
  if (settings.version) {
    if (const auto untested = settings.table.untested(*settings.version, *target))
      throw kup::Error(KUP_E_INVALID_CONFIG,
                       untested->why + (untested->has_alternatives ? "; set cni-calico.version to one of them" : ""));
    return notes;
  }
  const auto installed = KubeVersion::parse(install.version);
  if (!installed) return notes;
  if (const auto untested = settings.table.untested(*installed, *target))
    notes.push_back("WARNING: the installed " + untested->why +
                    (untested->has_alternatives ? "; set cni-calico.version to one of them to upgrade Calico" : ""));
  return notes;
}

std::vector<std::string> describe_upgrade(const kup::Host &host, const CalicoSettings &settings,
                                          const CalicoInstall &install, const std::optional<KubeVersion> &target) {
  std::vector<std::string> steps{found(install)};
  for (auto &note : check_compatibility(settings, install, target)) steps.push_back(note);
  if (!settings.version) {
    steps.push_back("cni-calico.version is not set: Calico stays as it is");
    return steps;
  }
  if (install.version == settings.version->str()) {
    steps.push_back("already at " + settings.version->str() + ": only check that it has rolled out");
    return steps;
  }
  for (auto &line : describe_staging(settings, install)) steps.push_back(line);
  steps.push_back("save the current state of every object the new manifests name as previous.yaml: in this run's "
                  "backup set (<set>.attached/cni-calico/) when etcd-backup made one, otherwise in " +
                  std::string(kBackupParent) + "/kuphost-backup-calico-<timestamp>/");
  for (const auto &file : files_to_apply(settings, install)) steps.push_back(command_line(apply_argv(host, file)));
  steps.push_back(std::string("wait up to ") + duration_text(settings.rollout_timeout_ms) + " for DaemonSet " +
                  install.node_namespace() + "/calico-node to roll out" +
                  (install.operator_managed()
                       ? ", TigeraStatus calico to be Available and Installation default to report " +
                             settings.version->str()
                       : std::string()) +
                  "; otherwise re-apply the saved objects and fail");
  return steps;
}

UpgradeOutcome run_upgrade(const kup::Host &host, const CalicoSettings &settings, const CalicoInstall &install,
                           const std::optional<KubeVersion> &target, const Progress &progress,
                           const kup_backup_set *set) {
  progress(found(install));
  for (const auto &note : check_compatibility(settings, install, target)) {
    host.warn("cni-calico: " + note.substr(note.find(' ') + 1));
    progress(note);
  }
  if (!settings.version) return {false, "cni-calico.version is not set: Calico " + install.version + " left as it is"};
  const std::string to = settings.version->str();
  if (install.version == to) {
    // Also a resumed run whose apply went through before an interruption.
    if (poll_rollout(host, install, to).done()) return {false, "Calico already at " + to};
    progress("Calico " + to + " is applied but has not settled yet");
  } else {
    const std::vector<std::string> files = stage_release(host, settings, install, progress);
    const CalicoBackup backup = write_backup(host, files, progress, set);
    host.state_set(kStateMethod, install.operator_managed() ? "operator" : "manifest");
    host.state_set(kStatePrevious, install.version);
    host.state_set(kStateBackup, backup.record);
    for (const auto &file : files) {
      try {
        progress("applying " + file);
        apply_manifest(host, file);
      } catch (const kup::Error &e) {
        throw kup::Error(e.code(), std::string("cni-calico: ") + e.what() + "; " + restore(host, settings, backup.record, progress, set),
                         e.details());
      }
    }
  }
  try {
    wait_for_rollout(host, install, to, settings.rollout_timeout_ms, progress);
  } catch (const kup::Error &e) {
    if (e.code() == KUP_E_CANCELLED) throw;
    const auto dir = host.state_get(kStateBackup);
    throw kup::Error(e.code(), std::string("cni-calico: ") + e.what() + "; " +
                                   (dir ? restore(host, settings, *dir, progress, set) : "no backup of this run to roll back to"));
  }
  return {true, "Calico " + install.version + " -> " + to + " (" +
                    (install.operator_managed() ? "operator" : "manifest") + "); the previous objects are in " +
                    describe_backup(host.state_get(kStateBackup).value_or("?"))};
}

std::string roll_back_upgrade(const kup::Host &host, const CalicoSettings &settings, const Progress &progress,
                              const kup_backup_set *set) {
  const auto dir = host.state_get(kStateBackup);
  if (!dir || dir->empty()) return "";
  if (reapply_backup(host, *dir, progress, set) == 0) return "nothing to re-apply from " + describe_backup(*dir);
  const CalicoInstall previous = recorded_install(host);
  wait_for_rollout(host, previous, previous.version, settings.rollout_timeout_ms, progress);
  return "re-applied the objects saved in " + describe_backup(*dir) + (previous.version.empty() ? "" : "; Calico " + previous.version + " runs again");
}

}  // namespace kuphost_plugins::cni_calico
