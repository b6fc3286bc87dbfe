// etcd-backup: a consistent, verified backup of etcd and the control-plane
// state before kubeadm touches anything; `kuphost backup list|verify|restore`;
// an automatic restore when the upgrade leaves etcd unhealthy.
#include <kuphost/kuphost.hpp>

#include "backup_commands.h"
#include "backup_set_extension.h"
#include "backup_steps.h"
#include "core/etcd_health.h"
#include "core/free_space.h"
#include "host_command_runner.h"
#include "node_backup.h"
#include "support/settings.hpp"

namespace kuphost_plugins::etcd_backup {

class EtcdBackupPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Consistent, verified backups of etcd and the control-plane state";
    info.aliases = {"etcd"};
    info.extensions = {KUP_EXT_BACKUP_SET_V1};
    kup::PhaseSpec backup;
    backup.id = "backup";
    backup.title = "Back up etcd and the control plane";
    backup.description =
        "kubeadm keeps only an unverified copy of a stacked member's data directory, and "
        "none for external etcd.";
    backup.stage = KUP_STAGE_BACKUP;
    backup.distro_families = KUP_DISTRO_LINUX;
    backup.roles = KUP_ROLE_CONTROL_PLANE;
    backup.etcd_topologies = KUP_ETCD_STACKED | KUP_ETCD_EXTERNAL;
    backup.plan = kup::phase<&EtcdBackupPlugin::plan_backup>();
    backup.apply = kup::phase<&EtcdBackupPlugin::apply_backup>();
    backup.rollback = kup::phase<&EtcdBackupPlugin::restore_if_unhealthy>();
    info.phases = {backup};
    info.commands = backup_command_specs<EtcdBackupPlugin>();
    info.config_keys = {
        {"retention", KUP_CONFIG_INT, "3", "How many backups to keep in the backup directory."},
        {"archive", KUP_CONFIG_STRING, "none",
         "Pack each backup into an archive of this format (tar.zst or tar.gz); none keeps a directory."},
        {"encryption-key-file", KUP_CONFIG_STRING, "",
         "File with a 256-bit key (32 bytes, or 64 hex digits) to encrypt backups with AES-256-GCM; unset "
         "leaves them unencrypted."},
        {"endpoints", KUP_CONFIG_LIST, "",
         "etcd client URLs for external etcd; unset takes kube-apiserver's --etcd-servers."},
        {"directory", KUP_CONFIG_STRING, "/var/lib/kuphost/etcd-backups", "Where backups are written on the node."},
    };
  }

  explicit EtcdBackupPlugin(kup::Host host) : host_(host), backup_set_(host_, settings_) {
    const Settings config(host_, "etcd-backup");
    settings_.retention = config.integer("retention", 3);
    settings_.archive = config.text("archive");
    if (settings_.archive.empty()) settings_.archive = "none";
    settings_.encryption_key_file = config.text("encryption-key-file");
    settings_.endpoints = config.list("endpoints");
    settings_.directory = config.text("directory");
    if (settings_.directory.empty()) settings_.directory = "/var/lib/kuphost/etcd-backups";
    if (settings_.retention < 1)
      throw kup::Error(KUP_E_INVALID_CONFIG,
                       "etcd-backup.retention must be at least 1 (the backup of this run)");
    if (settings_.directory.front() != '/')
      throw kup::Error(KUP_E_INVALID_CONFIG,
                       "etcd-backup.directory is '" + settings_.directory + "'; it must be an absolute path");
    if (settings_.archive != "none" && settings_.archive != "tar.zst" && settings_.archive != "tar.gz")
      throw kup::Error(KUP_E_INVALID_CONFIG,
                       "etcd-backup.archive is '" + settings_.archive + "'; use none, tar.zst or tar.gz");
    if (!settings_.encryption_key_file.empty() && settings_.encryption_key_file.front() != '/')
      throw kup::Error(KUP_E_INVALID_CONFIG, "etcd-backup.encryption-key-file is '" +
                                                 settings_.encryption_key_file + "'; it must be an absolute path");
  }

  const void *extension(std::string_view id) const {
    return id == KUP_EXT_BACKUP_SET_V1 ? backup_set_.table() : nullptr;
  }

  void plan_backup(const kup::Call &call) {
    for (const auto &step : backup_steps(host_, settings_)) call.out(step);
  }

  void apply_backup(const kup::Call &call) {
    if (call.dry_run()) {
      for (const auto &step : backup_steps(host_, settings_)) call.out(step);
      call.changed("dry run: nothing written");
      return;
    }
    HostCommandRunner runner(host_);
    const BackupRequest request = backup_request(host_, settings_);
    BackupResult result;
    try {
      result = run_backup(runner, node_paths(host_), request, [&](const std::string &line) { call.out(line); });
    } catch (const BackupError &e) {
      throw kup::Error(KUP_E_IO, std::string("etcd-backup: ") + e.what());
    }
    host_.state_set("set", result.name);
    const auto &status = result.snapshot.status;
    call.changed("backup " + result.set_path + ": snapshot " + human_bytes(result.snapshot.verified.database_bytes) +
                 (status ? ", revision " + std::to_string(status->revision) : std::string()) +
                 (result.etcd_copy ? ", data directory copy " + *result.etcd_copy : std::string()));
  }

  // The executor calls this when a later phase failed. kubeadm rolls its own
  // manifests and data back first; a member that is healthy after that keeps
  // its data (it may hold writes newer than the backup).
  void restore_if_unhealthy(const kup::Call &call) {
    const auto set = host_.state_get("set");
    if (!set || set->empty()) {
      call.out("no backup of this run to restore from");
      return;
    }
    const EtcdMember member = etcd_of(host_, settings_);
    if (!member.stacked) {
      call.out("external etcd: kuphost does not restore it; the snapshot is in " + settings_.directory + "/" + *set);
      call.unchanged("external etcd left alone");
      return;
    }
    HostCommandRunner runner(host_);
    const Waiting waiting = host_waiting(host_);
    if (wait_for_health(runner, member.endpoints.front(), true, kHealthGrace, waiting.sleep, waiting.elapsed)) {
      call.out("etcd is healthy at " + member.endpoints.front().endpoint + ": its data is kept, no restore needed");
      call.unchanged("etcd healthy; backup " + *set + " kept");
      return;
    }
    call.out("etcd is not healthy " + std::to_string(kHealthGrace.count() / 1000) + " s after the failure: restoring " +
             *set);
    if (call.dry_run()) return;
    restore_backup(host_, settings_, *set, /*force=*/false, /*dry_run=*/false,
                   [&](const std::string &line) { call.out(line); });
    call.changed("etcd restored from " + *set);
  }

  void backup_command(const kup::CommandCall &call) { run_backup_command(host_, settings_, call); }

 private:
  static constexpr std::chrono::milliseconds kHealthGrace{std::chrono::seconds(120)};

  kup::Host host_;
  BackupSettings settings_;
  BackupSetTable backup_set_;  // refers to settings_, declared before it
};

}  // namespace kuphost_plugins::etcd_backup

KUPHOST_PLUGIN(kuphost_plugins::etcd_backup::EtcdBackupPlugin, "etcd-backup", KUPHOST_PLUGINS_RELEASE)
