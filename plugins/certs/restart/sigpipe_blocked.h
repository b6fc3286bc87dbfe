// SIGPIPE held off for one thread over a scope. A server that closes first
// makes OpenSSL's next socket write raise SIGPIPE, whose default action
// would end the whole kuphost process; MSG_NOSIGNAL does not reach
// OpenSSL's writes. Blocked for this thread while the scope runs, a SIGPIPE
// raised meanwhile is consumed before the old mask comes back (libcurl's way).
#pragma once

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>

namespace kuphost_plugins::certs {

class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, &old_);
    was_pending_ = pending();
  }
  ~SigpipeBlocked() {
    if (!was_pending_ && pending()) {
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      const timespec now{0, 0};
      while (sigtimedwait(&pipe, nullptr, &now) < 0 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked &) = delete;
  SigpipeBlocked &operator=(const SigpipeBlocked &) = delete;

 private:
  static bool pending() {
    sigset_t set;
    sigpending(&set);
    return sigismember(&set, SIGPIPE) == 1;
  }
  sigset_t old_{};
  bool was_pending_ = false;
};

}  // namespace kuphost_plugins::certs
