// A file descriptor closed on every path out of its scope, so an early
// return or a throw never leaks it.
#pragma once

#include <unistd.h>

#include <utility>

namespace kuphost_plugins {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  int get() const noexcept { return fd_; }
  // Hands the descriptor over (to close() it and check the result).
  int release() noexcept { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace kuphost_plugins
