//===- backup_set/file_system.h - the only place backup sets touch the disk --
//
// Every syscall the backup-set library makes goes through FileSystem, so a
// test can replace one call (a write that fails with ENOSPC, a clone that
// succeeds on a filesystem without reflinks) and watch the rest react. The
// calls are POSIX-thin: -1 and errno on failure, short reads and writes
// allowed; io.h turns them into exceptions that name the file.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_FILE_SYSTEM_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_FILE_SYSTEM_H

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kuphost_plugins::etcd_backup {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual int open(const std::filesystem::path &path, int flags, mode_t mode) = 0;
  virtual int close(int fd) = 0;
  virtual ssize_t read(int fd, void *buffer, std::size_t size) = 0;
  virtual ssize_t write(int fd, const void *buffer, std::size_t size) = 0;
  virtual int fsync(int fd) = 0;
  virtual int fstat(int fd, struct stat *out) = 0;
  virtual int fchmod(int fd, mode_t mode) = 0;
  // Copies the source's modification time onto `fd`, like cp -a.
  virtual int copy_mtime(int fd, const struct stat &source) = 0;
  // Tells the kernel the file is read front to back (bigger readahead).
  virtual void advise_sequential(int fd) = 0;
  // Starts writing a range back to disk without waiting (sync_file_range
  // SYNC_FILE_RANGE_WRITE), so the final fsync finds little left to do.
  virtual void start_writeback(int fd, off_t offset, off_t length) = 0;
  // FICLONE: `destination` shares the source's extents (btrfs, XFS with
  // reflink=1); fails with EOPNOTSUPP/EXDEV/EINVAL elsewhere, e.g. on ext4.
  virtual int clone_file(int destination, int source) = 0;

  virtual int lstat(const std::filesystem::path &path, struct stat *out) = 0;
  virtual int mkdir(const std::filesystem::path &path, mode_t mode) = 0;
  virtual int chmod(const std::filesystem::path &path, mode_t mode) = 0;
  virtual int rename(const std::filesystem::path &from, const std::filesystem::path &to) = 0;
  virtual int unlink(const std::filesystem::path &path) = 0;
  virtual int rmdir(const std::filesystem::path &path) = 0;
  virtual int symlink(const std::string &target, const std::filesystem::path &link) = 0;
  // The link's target; nullopt with errno set on failure.
  virtual std::optional<std::string> readlink(const std::filesystem::path &link) = 0;
  // Names in `dir` without "." and "..", sorted bytewise so manifests are
  // reproducible; nullopt with errno set on failure.
  virtual std::optional<std::vector<std::string>> list_directory(const std::filesystem::path &dir) = 0;
};

// The real thing: plain Linux syscalls, EINTR left to the caller.
class PosixFileSystem : public FileSystem {
 public:
  int open(const std::filesystem::path &path, int flags, mode_t mode) override;
  int close(int fd) override;
  ssize_t read(int fd, void *buffer, std::size_t size) override;
  ssize_t write(int fd, const void *buffer, std::size_t size) override;
  int fsync(int fd) override;
  int fstat(int fd, struct stat *out) override;
  int fchmod(int fd, mode_t mode) override;
  int copy_mtime(int fd, const struct stat &source) override;
  void advise_sequential(int fd) override;
  void start_writeback(int fd, off_t offset, off_t length) override;
  int clone_file(int destination, int source) override;
  int lstat(const std::filesystem::path &path, struct stat *out) override;
  int mkdir(const std::filesystem::path &path, mode_t mode) override;
  int chmod(const std::filesystem::path &path, mode_t mode) override;
  int rename(const std::filesystem::path &from, const std::filesystem::path &to) override;
  int unlink(const std::filesystem::path &path) override;
  int rmdir(const std::filesystem::path &path) override;
  int symlink(const std::string &target, const std::filesystem::path &link) override;
  std::optional<std::string> readlink(const std::filesystem::path &link) override;
  std::optional<std::vector<std::string>> list_directory(const std::filesystem::path &dir) override;
};

// The process-wide PosixFileSystem the public functions use by default.
FileSystem &real_file_system();

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_FILE_SYSTEM_H
