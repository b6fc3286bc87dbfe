/* A shared object without the entry symbol (a typo'd name). */
#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("missing-entry", "1.0.0");

KUP_EXPORT int kuphost_plugin_entry(void) { return 0; }
