#include "calico_backup_set.h"

namespace kuphost_plugins::cni_calico {
namespace {

constexpr const char *kPluginId = "cni-calico";

}  // namespace

std::optional<RunBackupSet> RunBackupSet::of(const kup_backup_set *table, std::string *why) {
  const auto say = [&](const std::string &text) {
    if (why) *why = text;
    return std::nullopt;
  };
  if (!table) return say("no plugin offers " KUP_EXT_BACKUP_SET_V1);
  if (!table->current || !kup::detail::has_field(table, &kup_backup_set::read_attached) || !table->attach_file ||
      !table->read_attached)
    return say("the backup-set provider cannot attach files (it predates attach_file)");
  kup::StringSink where;
  kup::ErrorCapture error;
  if (table->current(table, where.get(), error.get()) != KUP_OK) return say(error.message());
  return RunBackupSet(table, where.take());
}

std::string RunBackupSet::attach(const std::string &name, const std::string &bytes, uint32_t mode) const {
  kup::StringSink stored;
  kup::ErrorCapture error;
  const kup_status status = table_->attach_file(table_, kup::to_kup(kPluginId), kup::to_kup(name), bytes.data(),
                                                bytes.size(), mode, stored.get(), error.get());
  if (status != KUP_OK) error.raise(status, "cannot attach " + name + " to the backup set " + path_);
  return stored.take();
}

std::string RunBackupSet::read(const std::string &name) const {
  kup::StringSink copy;
  kup::ErrorCapture error;
  const kup_status status =
      table_->read_attached(table_, kup::to_kup(kPluginId), kup::to_kup(name), copy.get(), error.get());
  if (status != KUP_OK) error.raise(status, "cannot read " + name + " back from the backup set " + path_);
  return copy.take();
}

}  // namespace kuphost_plugins::cni_calico
