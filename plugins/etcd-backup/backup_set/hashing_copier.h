//===- backup_set/hashing_copier.h - read a file once: hash it, write it -----
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_HASHING_COPIER_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_HASHING_COPIER_H

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "file_system.h"
#include "sha256.h"

namespace kuphost_plugins::etcd_backup {

// How files are streamed; the defaults are the fastest measured (see
// hashing_copier.cpp for the figures).
struct StreamOptions {
  std::size_t buffer_size = std::size_t{4} << 20;
  // Hash on a second thread while this one reads and writes; pays off when
  // a core is idle (see hashing_copier.cpp for the inconclusive figures).
  bool hash_on_second_thread = true;
  // Try FICLONE first; the clone is then hashed by one read of it.
  bool try_reflink = true;
};

struct HashedBytes {
  std::string sha256;  // lowercase hex
  std::uint64_t size = 0;
};

// Keeps the buffers and the hashing thread for a whole tree.
class HashingCopier {
 public:
  HashingCopier(FileSystem &fs, const StreamOptions &options);
  ~HashingCopier();
  HashingCopier(const HashingCopier &) = delete;
  HashingCopier &operator=(const HashingCopier &) = delete;

  // Copies `source` (open for reading, at offset 0) into the empty
  // `destination` (open read-write): a reflink when the filesystem allows,
  // else one read pass that hashes and writes each block. The hash and size
  // are of the bytes that ended up in `destination`.
  HashedBytes copy(int source, const std::filesystem::path &source_path, int destination,
                   const std::filesystem::path &destination_path);
  // One read pass that only hashes.
  HashedBytes hash(int source, const std::filesystem::path &source_path);

 private:
  HashedBytes stream(int source, const std::filesystem::path &source_path, std::optional<int> destination,
                     const std::filesystem::path &destination_path);

  FileSystem &fs_;
  StreamOptions options_;
  bool reflink_may_work_;
  std::vector<std::unique_ptr<std::byte[]>> buffers_;
  std::unique_ptr<BackgroundSha256> background_;  // after buffers_: stops before they are freed
  Sha256 inline_digest_;
};

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_HASHING_COPIER_H
