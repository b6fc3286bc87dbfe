#include "upgrade_slot_extension.h"

namespace kuphost_plugins::kubeadm {
namespace {

UpgradeSlot &slot_of(const kup_upgrade_slot *self) {
  return (*static_cast<std::function<UpgradeSlot &()> *>(self->plugin_ctx))();
}

}  // namespace

UpgradeSlotTable::UpgradeSlotTable(std::function<UpgradeSlot &()> slot) : slot_(std::move(slot)) {
  table_.struct_size = sizeof table_;
  table_.plugin_ctx = &slot_;
  table_.acquire = &acquire_cb;
  table_.release = &release_cb;
}

kup_status UpgradeSlotTable::acquire_cb(const kup_upgrade_slot *self, const kup_error *error) {
  return kup::guard(error, [&] { slot_of(self).acquire(); });
}

void UpgradeSlotTable::release_cb(const kup_upgrade_slot *self) {
  try {
    slot_of(self).release();
  } catch (...) {  // release() does not throw; creating the slot might
  }
}

}  // namespace kuphost_plugins::kubeadm
