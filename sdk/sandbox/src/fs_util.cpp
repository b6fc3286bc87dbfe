#include "fs_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <stdexcept>
#include <vector>

namespace kuphost::sandbox::detail {
namespace {

[[noreturn]] void fail_errno(const std::string &what, const fs::path &path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void write_all(int fd, std::string_view content, const fs::path &path) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("cannot write", path);
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void make_dirs(const fs::path &dir, mode_t mode) {
  if (dir.empty() || fs::is_directory(dir)) return;
  make_dirs(dir.parent_path(), 0755);
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) fail_errno("cannot create directory", dir);
  if (::chmod(dir.c_str(), mode) != 0) fail_errno("cannot chmod", dir);
}

void write_file(const fs::path &path, std::string_view content, mode_t mode) {
  make_dirs(path.parent_path(), 0755);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (fd.get() < 0) fail_errno("cannot create", path);
  write_all(fd.get(), content, path);
  if (::fchmod(fd.get(), mode) != 0) fail_errno("cannot chmod", path);
  if (::close(fd.release()) != 0) fail_errno("cannot close", path);
}

void write_file_atomic(const fs::path &path, std::string_view content, mode_t mode) {
  make_dirs(path.parent_path(), 0755);
  std::string tmpl = (path.parent_path() / ("." + path.filename().string() + ".XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  Fd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (fd.get() < 0) fail_errno("cannot create a temporary file next to", path);
  const fs::path tmp(name.data());
  try {
    write_all(fd.get(), content, tmp);
    if (::fchmod(fd.get(), mode) != 0) fail_errno("cannot chmod", tmp);
    if (::fsync(fd.get()) != 0) fail_errno("cannot fsync", tmp);
    if (::close(fd.release()) != 0) fail_errno("cannot close", tmp);
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail_errno("cannot rename into", path);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}

std::string read_file(const fs::path &path) {
  auto text = read_file_if_exists(path);
  if (!text) {
    errno = ENOENT;
    fail_errno("cannot read", path);
  }
  return *text;
}

std::optional<std::string> read_file_if_exists(const fs::path &path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail_errno("cannot open", path);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno("cannot read", path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

void append_line(const fs::path &path, std::string_view line) {
  make_dirs(path.parent_path(), 0755);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (fd.get() < 0) fail_errno("cannot open", path);
  std::string text(line);
  text += '\n';
  write_all(fd.get(), text, path);
}

void copy_tree(const fs::path &from, const fs::path &to) {
  struct stat st {};
  if (::lstat(from.c_str(), &st) != 0) fail_errno("cannot stat", from);
  if (S_ISDIR(st.st_mode)) {
    if (::mkdir(to.c_str(), st.st_mode & 07777) != 0) fail_errno("cannot create directory", to);
    if (::chmod(to.c_str(), st.st_mode & 07777) != 0) fail_errno("cannot chmod", to);
    for (const auto &entry : fs::directory_iterator(from)) copy_tree(entry.path(), to / entry.path().filename());
  } else if (S_ISLNK(st.st_mode)) {
    fs::create_symlink(fs::read_symlink(from), to);
  } else {
    write_file(to, read_file(from), st.st_mode & 07777);
  }
}

FileLock::FileLock(const fs::path &lock_file) {
  make_dirs(lock_file.parent_path(), 0755);
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) fail_errno("cannot open lock file", lock_file);
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int saved = errno;
    ::close(fd_);
    errno = saved;
    fail_errno("cannot lock", lock_file);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace kuphost::sandbox::detail
