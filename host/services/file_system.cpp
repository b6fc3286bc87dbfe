#include "services/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

namespace kuphost {
namespace fs = std::filesystem;
namespace {

std::string errno_text(const fs::path &path, const char *what) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

bool fsync_dir(const fs::path &dir, std::string *error) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    *error = errno_text(dir, "cannot open directory");
    return false;
  }
  const bool ok = ::fsync(fd) == 0;
  if (!ok) *error = errno_text(dir, "cannot fsync");
  ::close(fd);
  return ok;
}

}  // namespace

FileStat RealFileSystem::stat(const fs::path &path) {
  FileStat st;
  struct stat sb {};
  if (::lstat(path.c_str(), &sb) != 0) return st;
  if (S_ISREG(sb.st_mode)) st.type = FileStat::Type::kRegular;
  else if (S_ISDIR(sb.st_mode)) st.type = FileStat::Type::kDirectory;
  else st.type = FileStat::Type::kOther;
  st.mode = sb.st_mode & 07777;
  st.size = static_cast<uint64_t>(sb.st_size);
  st.uid = sb.st_uid;
  return st;
}

bool RealFileSystem::read(const fs::path &path, std::string *data, std::string *error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = errno_text(path, "cannot read");
    return false;
  }
  data->clear();
  char buf[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got > 0) {
      data->append(buf, static_cast<size_t>(got));
    } else if (got == 0) {
      break;
    } else if (errno != EINTR) {
      *error = errno_text(path, "cannot read");
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

bool RealFileSystem::write_atomic(const fs::path &path, const std::string &data, uint32_t mode,
                                  std::string *error) {
  std::random_device rd;
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".kuphost-" +
                                             std::to_string(rd() % 1000000));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    *error = errno_text(tmp, "cannot create");
    return false;
  }
  size_t off = 0;
  bool ok = true;
  while (off < data.size()) {
    const ssize_t put = ::write(fd, data.data() + off, data.size() - off);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      *error = errno_text(tmp, "cannot write");
      ok = false;
      break;
    }
    off += static_cast<size_t>(put);
  }
  // The umask must not narrow what the caller asked for (keys 0600, dirs 0700).
  if (ok && ::fchmod(fd, mode) != 0) {
    *error = errno_text(tmp, "cannot chmod");
    ok = false;
  }
  if (ok && ::fsync(fd) != 0) {
    *error = errno_text(tmp, "cannot fsync");
    ok = false;
  }
  ::close(fd);
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = errno_text(path, "cannot replace");
    ok = false;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return false;
  }
  return fsync_dir(path.parent_path(), error);
}

bool RealFileSystem::make_dirs(const fs::path &path, uint32_t mode, std::string *error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return true;
  if (!path.has_parent_path() || path.parent_path() == path) return true;
  if (!make_dirs(path.parent_path(), mode, error)) return false;
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    *error = errno_text(path, "cannot create directory");
    return false;
  }
  ::chmod(path.c_str(), mode);
  return true;
}

bool RealFileSystem::list(const fs::path &path, std::vector<std::string> *names, std::string *error) {
  std::error_code ec;
  names->clear();
  for (auto it = fs::directory_iterator(path, ec); !ec && it != fs::directory_iterator();
       it.increment(ec))
    names->push_back(it->path().filename().string());
  if (ec) {
    *error = "cannot list " + path.string() + ": " + ec.message();
    return false;
  }
  std::sort(names->begin(), names->end());
  return true;
}

bool RealFileSystem::rename(const fs::path &from, const fs::path &to, std::string *error) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    *error = errno_text(from, "cannot rename") + " to " + to.string();
    return false;
  }
  return fsync_dir(to.parent_path(), error);
}

std::optional<fs::path> NodeRoot::map(std::string_view node_path) const {
  fs::path p(node_path);
  if (!p.is_absolute()) return std::nullopt;
  const fs::path rel = p.lexically_normal().relative_path();
  for (const auto &part : rel)
    if (part == "..") return std::nullopt;
  return rel.empty() ? root_ : root_ / rel;
}

}  // namespace kuphost
