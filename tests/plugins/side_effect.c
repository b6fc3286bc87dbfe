/* Creates $KUPHOST_TEST_MARKER when its code runs (a constructor at dlopen),
 * so a test can prove that `kuphost plugins inspect` runs no plugin code. */
#include <stdio.h>
#include <stdlib.h>

#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("side-effect", "1.2.3");

__attribute__((constructor)) static void touch_marker(void) {
  const char *marker = getenv("KUPHOST_TEST_MARKER");
  FILE *f = marker ? fopen(marker, "w") : NULL;
  if (f) fclose(f);
}

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return NULL;
}
