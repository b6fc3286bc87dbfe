#include "node_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "support/unique_fd.hpp"

namespace kuphost_plugins::certs {
namespace {

[[noreturn]] void fail(const std::string &what, const std::filesystem::path &path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

std::filesystem::path RootedFiles::map(const std::string &node_path) const {
  if (node_path.empty() || node_path.front() != '/') throw std::runtime_error("not a node path: " + node_path);
  return root_ / node_path.substr(1);
}

std::optional<std::string> RootedFiles::read(const std::string &node_path) {
  const auto path = map(node_path);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!(in && text << in.rdbuf()) && !std::filesystem::is_empty(path, ec)) fail("cannot read", path);
  return text.str();
}

uint32_t RootedFiles::mode(const std::string &node_path) {
  struct stat st {};
  if (::stat(map(node_path).c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

void RootedFiles::write(const std::string &node_path, const std::string &data, uint32_t mode) {
  const auto path = map(node_path);
  std::error_code ec;
  if (!std::filesystem::exists(path.parent_path(), ec)) {
    std::filesystem::create_directories(path.parent_path());
    std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all);
  }
  const auto tmp = path.parent_path() / ("." + path.filename().string() + ".kuphost-tmp");
  ::unlink(tmp.c_str());
  // Created with the final mode (umask can only narrow it), so a key is never
  // readable by others, not even for a moment.
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0600));
  if (fd.get() < 0) fail("cannot create", tmp);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::unlink(tmp.c_str());
      fail("cannot write", tmp);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd.get(), mode) != 0 || ::fsync(fd.get()) != 0 || ::close(fd.release()) != 0) {
    ::unlink(tmp.c_str());
    fail("cannot finish", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    fail("cannot replace", path);
  }
  UniqueFd dir(::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());  // the rename itself survives a crash
}

}  // namespace kuphost_plugins::certs
