/* Descriptor claims ABI major 2 through the v1 entry. */
#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("abi-major2", "2.0.0");

static const kup_plugin plugin = {sizeof(kup_plugin), 2, 0, {"abi-major2", 10}, {"2.0.0", 5}, {"", 0},
                                  NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0};

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return &plugin;
}
