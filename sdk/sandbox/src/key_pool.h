// Generates private keys ahead of use on all cores. RSA-2048 generation is
// most of `sandbox create`'s time (~100 ms a key, about a dozen keys per
// control plane), and the keys are independent of each other.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "pki.h"

namespace kuphost::sandbox::detail {

class KeyPool {
 public:
  // Starts generating `count` keys of `type` on `threads` worker threads.
  KeyPool(KeyType type, size_t count, unsigned threads = std::thread::hardware_concurrency());
  ~KeyPool();  // stops the workers and waits for them
  KeyPool(const KeyPool &) = delete;
  KeyPool &operator=(const KeyPool &) = delete;

  // A ready key; generated on the caller's thread once the pool is used up.
  // Rethrows a worker's generation error.
  KeyPtr take();

 private:
  void work();

  const KeyType type_;
  std::mutex mutex_;
  std::condition_variable ready_changed_;
  std::deque<KeyPtr> ready_;
  size_t to_start_;
  size_t in_flight_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

}  // namespace kuphost::sandbox::detail
