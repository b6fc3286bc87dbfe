// File helpers for the sandbox library and the node simulator. They throw
// std::runtime_error / std::filesystem::filesystem_error; the public API and
// the simulator's main() turn those into one-line errors.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kuphost::sandbox::detail {

namespace fs = std::filesystem;

// Creates `dir` with exactly `mode` (chmod after mkdir, so the umask does not
// matter); missing parents get 0755.
void make_dirs(const fs::path &dir, mode_t mode);

// Writes `content` to `path` with exactly `mode`; parents are made 0755.
void write_file(const fs::path &path, std::string_view content, mode_t mode);

// Temp file in the same directory + fsync + rename: readers running in other
// simulated commands never see a half-written state file.
void write_file_atomic(const fs::path &path, std::string_view content, mode_t mode);

std::string read_file(const fs::path &path);
std::optional<std::string> read_file_if_exists(const fs::path &path);

// Appends one line in a single write(2), so concurrent writers do not interleave.
void append_line(const fs::path &path, std::string_view line);

// Recursive copy that keeps file modes, like kubeadm's `cp -r` of the etcd
// data dir. `to` must not exist.
void copy_tree(const fs::path &from, const fs::path &to);

// Exclusive flock(2) on `lock_file` (created 0600) for its lifetime.
class FileLock {
 public:
  explicit FileLock(const fs::path &lock_file);
  ~FileLock();
  FileLock(const FileLock &) = delete;
  FileLock &operator=(const FileLock &) = delete;

 private:
  int fd_ = -1;
};

}  // namespace kuphost::sandbox::detail
