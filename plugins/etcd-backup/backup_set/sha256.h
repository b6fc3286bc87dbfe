//===- backup_set/sha256.h - SHA-256 via OpenSSL EVP, here or on a second core
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_SHA256_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_SHA256_H

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

struct evp_md_ctx_st;

namespace kuphost_plugins::etcd_backup {

// One running digest. Throws std::runtime_error if OpenSSL fails.
class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::byte> data);
  // The lowercase hex digest (sha256sum's spelling); starts a new digest.
  std::string finish_hex();

 private:
  struct FreeContext {
    void operator()(evp_md_ctx_st *context) const;
  };
  std::unique_ptr<evp_md_ctx_st, FreeContext> context_;
};

// Hashes submitted blocks, in order, on its own thread, so a copy can write
// block N while block N is hashed. A submitted block must stay unchanged until
// wait_until_hashed(its ticket) or finish_hex() returns.
class BackgroundSha256 {
 public:
  BackgroundSha256();
  ~BackgroundSha256();
  BackgroundSha256(const BackgroundSha256 &) = delete;
  BackgroundSha256 &operator=(const BackgroundSha256 &) = delete;

  // Returns the ticket of this block (1, 2, ...; 0 means "nothing").
  std::uint64_t submit(std::span<const std::byte> block);
  void wait_until_hashed(std::uint64_t ticket);
  // Waits for every block; returns the digest and starts a new one.
  std::string finish_hex();
  // Drops the digest in progress after waiting for the block being hashed,
  // so the caller may free its buffers (used when a copy fails midway).
  void abandon();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::span<const std::byte>> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t hashed_ = 0;
  bool busy_ = false;
  bool stopping_ = false;
  std::exception_ptr error_;
  Sha256 digest_;
  std::thread worker_;  // last: starts after the members it uses exist
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_SHA256_H
