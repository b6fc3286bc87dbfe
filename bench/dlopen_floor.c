/* The floor for `kuphost plan`: a program that only starts and dlopens the
 * same plugin files (RTLD_NOW | RTLD_LOCAL, as kuphost) and looks up their
 * entry. Usage: kuphost-bench-dlopen-floor PLUGIN.so... */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
  int i;
  for (i = 1; i < argc; ++i) {
    void *handle = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle || !dlsym(handle, "kuphost_plugin_v1")) {
      fprintf(stderr, "%s: %s\n", argv[i], dlerror());
      return 1;
    }
  }
  return 0;
}
