#include "key_pool.h"

#include <algorithm>

namespace kuphost::sandbox::detail {

KeyPool::KeyPool(KeyType type, size_t count, unsigned threads) : type_(type), to_start_(count) {
  const size_t n = std::min<size_t>(std::max(1u, threads), count);
  for (size_t i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

KeyPool::~KeyPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  for (auto &w : workers_) w.join();
}

void KeyPool::work() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || to_start_ == 0 || error_) return;
      --to_start_;
      ++in_flight_;
    }
    KeyPtr key;
    std::exception_ptr error;
    try {
      key = generate_key(type_);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
      if (error && !error_) error_ = error;
      if (key) ready_.push_back(std::move(key));
    }
    ready_changed_.notify_all();
  }
}

KeyPtr KeyPool::take() {
  {
    std::unique_lock lock(mutex_);
    ready_changed_.wait(lock, [this] { return !ready_.empty() || error_ || (to_start_ == 0 && in_flight_ == 0); });
    if (!ready_.empty()) {
      KeyPtr key = std::move(ready_.front());
      ready_.pop_front();
      return key;
    }
    if (error_) std::rethrow_exception(error_);
  }
  return generate_key(type_);
}

}  // namespace kuphost::sandbox::detail
