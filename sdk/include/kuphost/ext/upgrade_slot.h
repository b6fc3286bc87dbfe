/*===- kuphost/ext/upgrade_slot.h - kuphost.upgrade-slot/1 -----------------===*
 *
 * A plugin extension: the cluster-wide upgrade slots (kubeadm.upgrade-slots,
 * Leases in kube-system) that keep more than that many workers, and more
 * than one control plane, from being drained at the same time. Published by
 * the built-in kubeadm plugin, whose drain takes a slot and whose uncordon
 * (and drain rollback) frees it; found with
 * kup_host.find_extension(KUP_EXT_UPGRADE_SLOT_V1). windows-node, which
 * drains Windows workers itself, takes its slot through it.
 *
 * All functions run on the host's main thread during a phase call; the
 * table is owned by the providing plugin (see kup_host.find_extension for
 * its lifetime). The slot, once taken, is renewed by the provider in the
 * background until it is released or the provider is unloaded.
 *===----------------------------------------------------------------------===*/
#ifndef KUPHOST_EXT_UPGRADE_SLOT_H
#define KUPHOST_EXT_UPGRADE_SLOT_H

#include "../kuphost.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KUP_EXT_UPGRADE_SLOT_V1 "kuphost.upgrade-slot/1"

typedef struct kup_upgrade_slot {
  uint32_t struct_size;
  void *plugin_ctx;

  /* Takes a free or expired slot for this node (or keeps the one it holds),
   * waiting up to kubeadm.upgrade-slot-wait. KUP_E_RETRY_LATER, with a
   * message naming the holders, when none frees up in time. Changes the
   * cluster (a Lease): not for plans or dry runs. */
  kup_status(KUP_ABI *acquire)(const struct kup_upgrade_slot *self, const kup_error *error);

  /* Frees this node's slot if it holds one. Never fails. */
  void(KUP_ABI *release)(const struct kup_upgrade_slot *self);
} kup_upgrade_slot;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KUPHOST_EXT_UPGRADE_SLOT_H */
