//===- backup_set/io.h - FileSystem calls that throw and name the file -------
//
// Failures become std::system_error with the errno as code (so callers and
// tests can tell ENOSPC from EACCES) and "<what> <path>" as message.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_IO_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_IO_H

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "file_system.h"

namespace kuphost_plugins::etcd_backup {

[[noreturn]] void throw_errno(int error, const std::string &what, const std::filesystem::path &path);

// Owns one descriptor opened through a FileSystem; closes it on scope exit.
// close() reports the close error, which on NFS can be the write error.
class OpenFile {
 public:
  OpenFile(FileSystem &fs, const std::filesystem::path &path, int flags, mode_t mode = 0);
  ~OpenFile();
  OpenFile(const OpenFile &) = delete;
  OpenFile &operator=(const OpenFile &) = delete;

  int fd() const { return fd_; }
  const std::filesystem::path &path() const { return path_; }
  struct stat status() const;
  void sync();
  void close();

 private:
  FileSystem &fs_;
  std::filesystem::path path_;
  int fd_;
};

// A file written under partial_name_for(final_path) that appears under
// `final_path` only through commit(): fchmod, fsync, close, rename. Until then
// (an exception, a full disk) the destructor removes it. The caller still
// fsyncs the directory to make the rename durable.
class PartialFile {
 public:
  PartialFile(FileSystem &fs, const std::filesystem::path &final_path);
  ~PartialFile();
  PartialFile(const PartialFile &) = delete;
  PartialFile &operator=(const PartialFile &) = delete;

  int fd() const { return file_.fd(); }
  const std::filesystem::path &partial_path() const { return file_.path(); }
  // `mtime_from`: when given, the file gets that modification time (cp -a).
  void commit(mode_t mode, const struct stat *mtime_from = nullptr);

 private:
  FileSystem &fs_;
  std::filesystem::path final_path_;
  OpenFile file_;
  bool committed_ = false;
};

// Reads until `buffer` is full or the file ends; returns the bytes read.
std::size_t read_full(FileSystem &fs, int fd, std::span<std::byte> buffer, const std::filesystem::path &path);
void write_all(FileSystem &fs, int fd, std::span<const std::byte> data, const std::filesystem::path &path);

// fsync of a directory, which makes the renames and creations inside it durable.
void sync_directory(FileSystem &fs, const std::filesystem::path &dir);

// lstat that throws; `exists` is lstat that tells ENOENT apart from errors.
struct stat lstat_or_throw(FileSystem &fs, const std::filesystem::path &path);
bool exists(FileSystem &fs, const std::filesystem::path &path);
std::vector<std::string> list_directory_or_throw(FileSystem &fs, const std::filesystem::path &dir);

// Removes `path` and, for a directory, everything below it without following
// symlinks. Only for trees this library created itself.
void remove_tree(FileSystem &fs, const std::filesystem::path &path);

// Name of the file a copy is written to before it is renamed to `final_name`
// in the same directory: hidden and marked, so it never looks complete.
// Where a restore or an unpack may write: `to` missing (then created 0700)
// or an empty directory; a directory with data is never written into.
enum class TargetState { kCreated, kWasEmpty, kNotADirectory, kNotEmpty };
TargetState prepare_empty_target(FileSystem &fs, const std::filesystem::path &to);

std::filesystem::path partial_name_for(const std::filesystem::path &final_name);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_IO_H
