#include "sha256.h"

#include <openssl/evp.h>

#include <stdexcept>
#include <utility>

namespace kuphost_plugins::etcd_backup {
namespace {

void require(int ok, const char *what) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL ") + what + " failed");
}

}  // namespace

void Sha256::FreeContext::operator()(evp_md_ctx_st *context) const { EVP_MD_CTX_free(context); }

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_) throw std::runtime_error("OpenSSL EVP_MD_CTX_new failed");
  require(EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr), "EVP_DigestInit_ex");
}

void Sha256::update(std::span<const std::byte> data) {
  require(EVP_DigestUpdate(context_.get(), data.data(), data.size()), "EVP_DigestUpdate");
}

std::string Sha256::finish_hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  require(EVP_DigestFinal_ex(context_.get(), digest, &length), "EVP_DigestFinal_ex");
  require(EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr), "EVP_DigestInit_ex");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

BackgroundSha256::BackgroundSha256() : worker_([this] { run(); }) {}

BackgroundSha256::~BackgroundSha256() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

std::uint64_t BackgroundSha256::submit(std::span<const std::byte> block) {
  std::uint64_t ticket;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(block);
    ticket = ++submitted_;
  }
  changed_.notify_all();
  return ticket;
}

void BackgroundSha256::wait_until_hashed(std::uint64_t ticket) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return hashed_ >= ticket || error_; });
  if (error_) std::rethrow_exception(error_);
}

std::string BackgroundSha256::finish_hex() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return hashed_ == submitted_ || error_; });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  return digest_.finish_hex();
}

void BackgroundSha256::abandon() {
  std::unique_lock lock(mutex_);
  queue_.clear();
  changed_.wait(lock, [&] { return !busy_; });
  hashed_ = submitted_;
  error_ = nullptr;
  (void)digest_.finish_hex();  // resets the context
}

void BackgroundSha256::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const auto block = queue_.front();
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    std::exception_ptr failure;
    try {
      digest_.update(block);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    busy_ = false;
    if (failure && !error_) error_ = failure;
    ++hashed_;
    changed_.notify_all();
  }
}

}  // namespace kuphost_plugins::etcd_backup
