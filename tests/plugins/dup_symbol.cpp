// Built twice (dup-a, dup-b): same entry symbol and the same internal helper
// name in both. With hidden visibility and RTLD_LOCAL each library must
// resolve its own.
#include <kuphost/kuphost.hpp>

#ifndef DUP_ID
#error DUP_ID must be defined
#endif

const char *which_library() { return DUP_ID; }  // same symbol name in both builds

class Dup {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Duplicate-symbol fixture";
    kup::PhaseSpec p;
    p.id = "which";
    p.stage = KUP_STAGE_PREFLIGHT;
    p.apply = kup::phase<&Dup::which>();
    info.phases = {p};
  }
  explicit Dup(kup::Host) {}
  void which(const kup::Call &call) { call.out(which_library()); }
};

KUPHOST_PLUGIN(Dup, DUP_ID, "1.0.0")
