// Polling for the sandbox tests: the kuphost-apiserver supervisors act on
// what they see every 200 ms, so a test waits for the effect, not a sleep.
#pragma once

#include <chrono>
#include <thread>

namespace kuphost::test {

// Polls `condition` every 50 ms for up to `timeout`; true as soon as it holds.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace kuphost::test
