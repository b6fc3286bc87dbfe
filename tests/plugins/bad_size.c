/* A descriptor whose struct_size is below ABI 1.0's minimum. */
#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("bad-size", "1.0.0");

static const kup_plugin plugin = {8, 1, 0, {"bad-size", 8}, {"1.0.0", 5}, {"", 0},
                                  NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0};

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return &plugin;
}
