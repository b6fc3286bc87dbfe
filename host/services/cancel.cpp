#include "services/cancel.h"

#include <csignal>

namespace kuphost {
namespace {
volatile std::sig_atomic_t g_cancelled = 0;
extern "C" void on_signal(int) { g_cancelled = 1; }
}  // namespace

void install_cancel_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool cancel_requested() { return g_cancelled != 0; }
void request_cancel() { g_cancelled = 1; }

}  // namespace kuphost
