//===- kubeadm/upgrade_slot_extension.h - kuphost.upgrade-slot/1 ----------===//
//
// The upgrade slots (upgrade_slot.h) as an extension table, so that a plugin
// that drains a node itself (windows-node) counts against the same
// kubeadm.upgrade-slots; kubeadm/uncordon frees the slot as for any node.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_KUBEADM_UPGRADE_SLOT_EXTENSION_H
#define KUPHOST_PLUGINS_KUBEADM_UPGRADE_SLOT_EXTENSION_H

#include <kuphost/ext/upgrade_slot.h>

#include <functional>

#include "upgrade_slot.h"

namespace kuphost_plugins::kubeadm {

class UpgradeSlotTable {
 public:
  // `slot` returns the plugin's one slot (created on first use); it must
  // stay callable for the table's lifetime.
  explicit UpgradeSlotTable(std::function<UpgradeSlot &()> slot);
  UpgradeSlotTable(const UpgradeSlotTable &) = delete;
  UpgradeSlotTable &operator=(const UpgradeSlotTable &) = delete;

  const kup_upgrade_slot *table() const noexcept { return &table_; }

 private:
  static kup_status KUP_ABI acquire_cb(const kup_upgrade_slot *self, const kup_error *error);
  static void KUP_ABI release_cb(const kup_upgrade_slot *self);

  std::function<UpgradeSlot &()> slot_;
  kup_upgrade_slot table_{};
};

}  // namespace kuphost_plugins::kubeadm

#endif  // KUPHOST_PLUGINS_KUBEADM_UPGRADE_SLOT_EXTENSION_H
