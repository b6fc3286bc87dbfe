// Time: an interface so that waits and timestamps are testable.
#pragma once

#include <chrono>
#include <cstdint>

namespace kuphost {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_unix_ms() = 0;
  virtual int64_t monotonic_ms() = 0;
  // Returns false when interrupted by the operator.
  virtual bool sleep_ms(uint32_t ms) = 0;
};

class RealClock : public Clock {
 public:
  int64_t now_unix_ms() override;
  int64_t monotonic_ms() override;
  bool sleep_ms(uint32_t ms) override;
};

}  // namespace kuphost
