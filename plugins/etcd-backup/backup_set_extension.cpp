#include "backup_set_extension.h"

#include "core/attached_files.h"
#include "core/backup_catalog.h"
#include "core/set_files.h"

namespace kuphost_plugins::etcd_backup {
namespace {

void write(const kup_sink *out, const std::string &text) {
  if (out && out->write && !text.empty()) out->write(out, text.data(), text.size());
}

BackupSetTable &me(const kup_backup_set *self) { return *static_cast<BackupSetTable *>(self->plugin_ctx); }

}  // namespace

BackupSetTable::BackupSetTable(kup::Host host, const BackupSettings &settings) : host_(host), settings_(settings) {
  table_.struct_size = sizeof table_;
  table_.plugin_ctx = this;
  table_.current = &current_cb;
  table_.read_file = &read_file_cb;
  table_.attach_file = &attach_file_cb;
  table_.read_attached = &read_attached_cb;
}

BackupEntry BackupSetTable::current_set() const {
  const auto name = host_.state_get("set");
  if (!name || name->empty()) throw kup::Error(KUP_E_NOT_FOUND, "etcd-backup made no backup in this run");
  const BackupEntry entry = find_backup(node_paths(host_), settings_.directory, kKubeadmTmp, *name);
  if (!entry.complete) throw kup::Error(KUP_E_NOT_FOUND, entry.node_path + " is incomplete");
  return entry;
}

kup_status BackupSetTable::current_cb(const kup_backup_set *self, const kup_sink *out, const kup_error *error) {
  return kup::guard(error, [&] { write(out, me(self).current_set().node_path); });
}

kup_status BackupSetTable::read_file_cb(const kup_backup_set *self, kup_str path, const kup_sink *out,
                                        const kup_error *error) {
  return kup::guard(error, [&] {
    BackupSetTable &t = me(self);
    // The set is read (and the catalog searched) once per set of the run.
    if (!t.files_ || t.host_.state_get("set") != t.files_of_) {
      const BackupEntry entry = t.current_set();
      try {
        t.files_ = read_set_files(node_paths(t.host_), entry, t.settings_.encryption_key_file);
      } catch (const std::exception &e) {
        throw kup::Error(KUP_E_IO, e.what());
      }
      t.files_of_ = t.host_.state_get("set").value_or("");
      t.files_path_ = entry.node_path;
    }
    const auto it = t.files_->find(std::string(kup::to_sv(path)));
    if (it == t.files_->end())
      throw kup::Error(KUP_E_NOT_FOUND, t.files_path_ + " holds no copy of " + std::string(kup::to_sv(path)));
    write(out, it->second);
  });
}

kup_status BackupSetTable::attach_file_cb(const kup_backup_set *self, kup_str plugin_id, kup_str name,
                                          const void *bytes, size_t len, uint32_t mode, const kup_sink *out_path,
                                          const kup_error *error) {
  return kup::guard(error, [&] {
    BackupSetTable &t = me(self);
    const BackupEntry entry = t.current_set();
    const std::string_view data(static_cast<const char *>(bytes), bytes ? len : 0);
    try {
      const std::string stored = attach_to_set(node_paths(t.host_), entry, t.settings_.encryption_key_file,
                                               kup::to_sv(plugin_id), kup::to_sv(name), data, mode);
      t.host_.info("etcd-backup: " + std::string(kup::to_sv(plugin_id)) + " attached " + stored);
      write(out_path, stored);
    } catch (const std::invalid_argument &e) {
      throw kup::Error(KUP_E_INVALID_ARGUMENT, e.what());
    } catch (const std::exception &e) {
      throw kup::Error(KUP_E_IO, "cannot attach " + std::string(kup::to_sv(name)) + " to " + entry.node_path + ": " +
                                     e.what());
    }
  });
}

kup_status BackupSetTable::read_attached_cb(const kup_backup_set *self, kup_str plugin_id, kup_str name,
                                            const kup_sink *out, const kup_error *error) {
  return kup::guard(error, [&] {
    BackupSetTable &t = me(self);
    const BackupEntry entry = t.current_set();
    try {
      write(out, read_attached_file(node_paths(t.host_), entry, t.settings_.encryption_key_file,
                                    kup::to_sv(plugin_id), kup::to_sv(name)));
    } catch (const AttachedNotFound &e) {
      throw kup::Error(KUP_E_NOT_FOUND, e.what());
    } catch (const std::invalid_argument &e) {
      throw kup::Error(KUP_E_INVALID_ARGUMENT, e.what());
    } catch (const std::exception &e) {
      throw kup::Error(KUP_E_IO, e.what());
    }
  });
}

}  // namespace kuphost_plugins::etcd_backup
