// One kuphost at a time per node: an flock on <root>/var/lib/kuphost/lock,
// released by the kernel even after kill -9.
#pragma once

#include <filesystem>

namespace kuphost {

class RunLock {
 public:
  // Throws Failure(kInvalidInput) naming the holder when another run holds it.
  explicit RunLock(const std::filesystem::path &dir);
  ~RunLock();
  RunLock(const RunLock &) = delete;
  RunLock &operator=(const RunLock &) = delete;

 private:
  int fd_ = -1;
};

}  // namespace kuphost
