#include "file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace kuphost_plugins::etcd_backup {

int PosixFileSystem::open(const std::filesystem::path &path, int flags, mode_t mode) {
  return ::open(path.c_str(), flags | O_CLOEXEC, mode);
}
int PosixFileSystem::close(int fd) { return ::close(fd); }
ssize_t PosixFileSystem::read(int fd, void *buffer, std::size_t size) { return ::read(fd, buffer, size); }
ssize_t PosixFileSystem::write(int fd, const void *buffer, std::size_t size) { return ::write(fd, buffer, size); }
int PosixFileSystem::fsync(int fd) { return ::fsync(fd); }
int PosixFileSystem::fstat(int fd, struct stat *out) { return ::fstat(fd, out); }
int PosixFileSystem::fchmod(int fd, mode_t mode) { return ::fchmod(fd, mode); }

int PosixFileSystem::copy_mtime(int fd, const struct stat &source) {
  const struct timespec times[2] = {{0, UTIME_OMIT}, source.st_mtim};
  return ::futimens(fd, times);
}

void PosixFileSystem::advise_sequential(int fd) {
  // Only a hint: a filesystem that ignores it costs nothing.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
}

void PosixFileSystem::start_writeback(int fd, off_t offset, off_t length) {
  // A hint as well: fsync still makes the data durable if this fails.
  (void)::sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
}

int PosixFileSystem::clone_file(int destination, int source) { return ::ioctl(destination, FICLONE, source); }
int PosixFileSystem::lstat(const std::filesystem::path &path, struct stat *out) { return ::lstat(path.c_str(), out); }
int PosixFileSystem::mkdir(const std::filesystem::path &path, mode_t mode) { return ::mkdir(path.c_str(), mode); }
int PosixFileSystem::chmod(const std::filesystem::path &path, mode_t mode) { return ::chmod(path.c_str(), mode); }
int PosixFileSystem::rename(const std::filesystem::path &from, const std::filesystem::path &to) {
  return ::rename(from.c_str(), to.c_str());
}
int PosixFileSystem::unlink(const std::filesystem::path &path) { return ::unlink(path.c_str()); }
int PosixFileSystem::rmdir(const std::filesystem::path &path) { return ::rmdir(path.c_str()); }
int PosixFileSystem::symlink(const std::string &target, const std::filesystem::path &link) {
  return ::symlink(target.c_str(), link.c_str());
}

std::optional<std::string> PosixFileSystem::readlink(const std::filesystem::path &link) {
  std::string target(256, '\0');
  for (;;) {
    const ssize_t n = ::readlink(link.c_str(), target.data(), target.size());
    if (n < 0) return std::nullopt;
    if (static_cast<std::size_t>(n) < target.size()) {
      target.resize(static_cast<std::size_t>(n));
      return target;
    }
    target.resize(target.size() * 2);  // possibly truncated: retry larger
  }
}

std::optional<std::vector<std::string>> PosixFileSystem::list_directory(const std::filesystem::path &dir) {
  std::unique_ptr<DIR, int (*)(DIR *)> stream(::opendir(dir.c_str()), ::closedir);
  if (!stream) return std::nullopt;
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const dirent *entry = ::readdir(stream.get());
    if (entry == nullptr) break;
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  if (errno != 0) return std::nullopt;
  std::sort(names.begin(), names.end());
  return names;
}

FileSystem &real_file_system() {
  static PosixFileSystem instance;
  return instance;
}

}  // namespace kuphost_plugins::etcd_backup
