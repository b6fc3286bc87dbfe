#include "io.h"

#include <fcntl.h>

#include <cerrno>
#include <system_error>
#include <utility>

namespace kuphost_plugins::etcd_backup {

void throw_errno(int error, const std::string &what, const std::filesystem::path &path) {
  throw std::system_error(error, std::generic_category(), what + " " + path.string());
}

OpenFile::OpenFile(FileSystem &fs, const std::filesystem::path &path, int flags, mode_t mode)
    : fs_(fs), path_(path), fd_(fs.open(path, flags, mode)) {
  if (fd_ < 0) throw_errno(errno, "cannot open", path);
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) fs_.close(fd_);
}

struct stat OpenFile::status() const {
  struct stat st {};
  if (fs_.fstat(fd_, &st) != 0) throw_errno(errno, "cannot stat", path_);
  return st;
}

void OpenFile::sync() {
  if (fs_.fsync(fd_) != 0) throw_errno(errno, "cannot fsync", path_);
}

void OpenFile::close() {
  if (fs_.close(std::exchange(fd_, -1)) != 0) throw_errno(errno, "cannot close", path_);
}

PartialFile::PartialFile(FileSystem &fs, const std::filesystem::path &final_path)
    : fs_(fs), final_path_(final_path), file_(fs, partial_name_for(final_path), O_RDWR | O_CREAT | O_EXCL, 0600) {}

PartialFile::~PartialFile() {
  if (!committed_) fs_.unlink(file_.path());
}

void PartialFile::commit(mode_t mode, const struct stat *mtime_from) {
  if (fs_.fchmod(file_.fd(), mode) != 0) throw_errno(errno, "cannot chmod", file_.path());
  if (mtime_from != nullptr && fs_.copy_mtime(file_.fd(), *mtime_from) != 0)
    throw_errno(errno, "cannot set the modification time of", file_.path());
  file_.sync();
  file_.close();
  if (fs_.rename(file_.path(), final_path_) != 0) throw_errno(errno, "cannot rename into", final_path_);
  committed_ = true;
}

std::size_t read_full(FileSystem &fs, int fd, std::span<std::byte> buffer, const std::filesystem::path &path) {
  std::size_t filled = 0;
  while (filled < buffer.size()) {
    const ssize_t n = fs.read(fd, buffer.data() + filled, buffer.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(errno, "cannot read", path);
    }
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  return filled;
}

void write_all(FileSystem &fs, int fd, std::span<const std::byte> data, const std::filesystem::path &path) {
  while (!data.empty()) {
    const ssize_t n = fs.write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(errno, "cannot write", path);
    }
    data = data.subspan(static_cast<std::size_t>(n));
  }
}

void sync_directory(FileSystem &fs, const std::filesystem::path &dir) {
  OpenFile handle(fs, dir, O_RDONLY | O_DIRECTORY);
  handle.sync();
  handle.close();
}

struct stat lstat_or_throw(FileSystem &fs, const std::filesystem::path &path) {
  struct stat st {};
  if (fs.lstat(path, &st) != 0) throw_errno(errno, "cannot stat", path);
  return st;
}

bool exists(FileSystem &fs, const std::filesystem::path &path) {
  struct stat st {};
  if (fs.lstat(path, &st) == 0) return true;
  if (errno == ENOENT) return false;
  throw_errno(errno, "cannot stat", path);
}

std::vector<std::string> list_directory_or_throw(FileSystem &fs, const std::filesystem::path &dir) {
  auto names = fs.list_directory(dir);
  if (!names) throw_errno(errno, "cannot list", dir);
  return std::move(*names);
}

void remove_tree(FileSystem &fs, const std::filesystem::path &path) {
  const struct stat st = lstat_or_throw(fs, path);
  if (S_ISDIR(st.st_mode)) {
    for (const auto &name : list_directory_or_throw(fs, path)) remove_tree(fs, path / name);
    if (fs.rmdir(path) != 0) throw_errno(errno, "cannot remove", path);
  } else if (fs.unlink(path) != 0) {
    throw_errno(errno, "cannot remove", path);
  }
}

std::filesystem::path partial_name_for(const std::filesystem::path &final_name) {
  return final_name.parent_path() / ("." + final_name.filename().string() + ".kuphost-partial");
}

TargetState prepare_empty_target(FileSystem &fs, const std::filesystem::path &to) {
  struct stat status {};
  if (fs.lstat(to, &status) != 0) {
    if (errno != ENOENT) throw_errno(errno, "cannot stat", to);
    if (fs.mkdir(to, 0700) != 0) throw_errno(errno, "cannot create directory", to);
    return TargetState::kCreated;
  }
  if (!S_ISDIR(status.st_mode)) return TargetState::kNotADirectory;
  return list_directory_or_throw(fs, to).empty() ? TargetState::kWasEmpty : TargetState::kNotEmpty;
}

}  // namespace kuphost_plugins::etcd_backup
