/* A plugin for a future ABI major: exports kuphost_plugin_v2 only. */
#include <kuphost/kuphost.h>

KUP_EXPORT const void *KUP_ABI kuphost_plugin_v2(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return 0;
}
