/* Declines every host: the entry returns NULL. */
#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("returns-null", "1.0.0");

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return NULL;
}
