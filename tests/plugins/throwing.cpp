// A C++ plugin whose phases throw: the kuphost.hpp trampolines must turn the
// exceptions into status codes carrying the message; the host keeps running.
#include <stdexcept>

#include <kuphost/kuphost.hpp>

class Throwing {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Throws from its phases";
    kup::PhaseSpec std_error;
    std_error.id = "std-error";
    std_error.stage = KUP_STAGE_PREFLIGHT;
    std_error.apply = kup::phase<&Throwing::throw_std>();
    kup::PhaseSpec kup_error;
    kup_error.id = "kup-error";
    kup_error.stage = KUP_STAGE_BACKUP;
    kup_error.apply = kup::phase<&Throwing::throw_kup>();
    kup::PhaseSpec fine;
    fine.id = "fine";
    fine.stage = KUP_STAGE_VERIFY;
    fine.apply = kup::phase<&Throwing::fine>();
    info.phases = {std_error, kup_error, fine};
  }
  explicit Throwing(kup::Host) {}
  void throw_std(const kup::Call &) { throw std::runtime_error("disk on fire"); }
  void throw_kup(const kup::Call &) { throw kup::Error(1234, "custom failure", "line one\nline two"); }
  void fine(const kup::Call &call) { call.out("still fine"); }
};

KUPHOST_PLUGIN(Throwing, "throwing", "1.0.0")
