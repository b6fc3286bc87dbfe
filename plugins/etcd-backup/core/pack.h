//===- core/pack.h - the optional archive and encryption of a set ----------
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_PACK_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_PACK_H

#include <string>

namespace kuphost_plugins::etcd_backup {

struct PackSettings {
  std::string archive = "none";  // none | tar.zst | tar.gz
  std::string key_file;          // node path; empty = no encryption
  bool encrypted() const { return !key_file.empty(); }
  bool packed() const { return archive != "none" || encrypted(); }
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_PACK_H
