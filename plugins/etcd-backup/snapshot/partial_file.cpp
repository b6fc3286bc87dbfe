#include "partial_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "snapshot_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

[[noreturn]] void fail(const std::filesystem::path &path, const char *what) {
  throw SnapshotError(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

SnapshotPartFile::SnapshotPartFile(std::filesystem::path final_path)
    : final_(std::move(final_path)), partial_(final_.string() + ".part") {
  fd_ = ::open(partial_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) fail(partial_, "cannot create");
}

SnapshotPartFile::~SnapshotPartFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(partial_.c_str());
}

void SnapshotPartFile::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(partial_, "cannot write");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void SnapshotPartFile::close() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail(partial_, "cannot flush");
  }
  if (::close(fd) != 0) fail(partial_, "cannot close");
}

void SnapshotPartFile::commit() {
  close();
  if (::rename(partial_.c_str(), final_.c_str()) != 0) fail(final_, "cannot rename the snapshot to");
  committed_ = true;
}

}  // namespace kuphost_plugins::etcd_backup
