// etcd-backup: a consistent, verified backup of etcd and the control-plane
// state before kubeadm touches anything. The steps are planned here; the
// real backup is the "etcd-backup" issue.
#include <kuphost/kuphost.hpp>

#include "backup_steps.h"
#include "support/not_implemented.hpp"
#include "support/settings.hpp"

namespace kuphost_plugins::etcd_backup {

class EtcdBackupPlugin {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Consistent, verified backups of etcd and the control-plane state";
    info.aliases = {"etcd"};
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
    info.phases = {backup};
    info.config_keys = {
        {"retention", KUP_CONFIG_INT, "3", "How many backups to keep in the backup directory."},
        {"archive", KUP_CONFIG_STRING, "none",
         "Pack each backup into an archive of this format; none keeps a directory."},
        {"encryption-key-file", KUP_CONFIG_STRING, "",
         "Key file to encrypt backups with; unset leaves them unencrypted."},
        {"endpoints", KUP_CONFIG_LIST, "",
         "etcd client URLs for external etcd; unset takes kube-apiserver's --etcd-servers."},
        {"directory", KUP_CONFIG_STRING, "/var/lib/kuphost/backups",
         "Where backups are written on the node."},
    };
  }

  explicit EtcdBackupPlugin(kup::Host host) : host_(host) {
    const Settings config(host_, "etcd-backup");
    settings_.retention = config.integer("retention", 3);
    settings_.archive = config.text("archive");
    if (settings_.archive.empty()) settings_.archive = "none";
    settings_.encryption_key_file = config.text("encryption-key-file");
    settings_.endpoints = config.list("endpoints");
    settings_.directory = config.text("directory");
    if (settings_.directory.empty()) settings_.directory = "/var/lib/kuphost/backups";
    if (settings_.retention < 1)
      throw kup::Error(KUP_E_INVALID_CONFIG,
                       "etcd-backup.retention must be at least 1 (the backup of this run)");
    if (settings_.directory.front() != '/')
      throw kup::Error(KUP_E_INVALID_CONFIG,
                       "etcd-backup.directory is '" + settings_.directory + "'; it must be an absolute path");
  }

  void plan_backup(const kup::Call &call) {
    for (const auto &step : backup_steps(host_, settings_)) call.out(step);
  }

  void apply_backup(const kup::Call &call) {
    echo_steps_or_refuse(call, "etcd-backup", backup_steps(host_, settings_));
  }

 private:
  kup::Host host_;
  BackupSettings settings_;
};

}  // namespace kuphost_plugins::etcd_backup

KUPHOST_PLUGIN(kuphost_plugins::etcd_backup::EtcdBackupPlugin, "etcd-backup", KUPHOST_PLUGINS_RELEASE)
