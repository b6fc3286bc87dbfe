#include "copy_tree.h"

#include <fcntl.h>

#include <cerrno>
#include <ctime>
#include <stdexcept>

#include "io.h"

namespace kuphost_plugins::etcd_backup {
namespace {

std::string child_path(const std::string &parent, const std::string &name) {
  return parent == "." ? name : parent + "/" + name;
}

class TreeCopier {
 public:
  TreeCopier(FileSystem &fs, const CopyOptions &options) : fs_(fs), options_(options), copier_(fs, options.stream) {}

  // `created_top` turns true once `to` exists because of this call, so a
  // caller never removes a directory somebody else made.
  std::vector<Entry> copy(const std::filesystem::path &from, const std::filesystem::path &to, bool &created_top) {
    const struct stat top = lstat_or_throw(fs_, from);
    if (!S_ISDIR(top.st_mode))
      throw std::runtime_error(from.string() + " is not a directory (a symlink? pass the directory it points to)");
    make_directory(to);
    created_top = true;
    copy_directory(from, to, ".", top);
    sync_directory(fs_, to.parent_path().empty() ? "." : to.parent_path());
    return std::move(entries_);
  }

 private:
  void make_directory(const std::filesystem::path &to) {
    // 0700 while it fills; the final mode comes after the contents.
    if (fs_.mkdir(to, 0700) != 0) throw_errno(errno, "cannot create directory", to);
  }

  void copy_directory(const std::filesystem::path &from, const std::filesystem::path &to, const std::string &relative,
                      const struct stat &status) {
    entries_.push_back(Entry{relative, EntryType::kDirectory, 0, status.st_mode & 07777, {}, {}});
    const std::size_t self = entries_.size() - 1;
    for (const auto &name : list_directory_or_throw(fs_, from)) {
      if (relative == "." && name == kManifestName)
        throw std::runtime_error((from / name).string() + ": the source already has a backup-set manifest");
      const auto source = from / name;
      const auto child = child_path(relative, name);
      const struct stat child_status = lstat_or_throw(fs_, source);
      if (S_ISDIR(child_status.st_mode)) {
        make_directory(to / name);
        copy_directory(source, to / name, child, child_status);
      } else if (S_ISREG(child_status.st_mode)) {
        copy_file(source, to / name, child);
      } else if (S_ISLNK(child_status.st_mode)) {
        copy_symlink(source, to / name, child, child_status);
      } else {
        throw std::runtime_error(source.string() + ": not a regular file, directory or symlink");
      }
    }
    const mode_t mode = stored_mode(entries_[self], options_.private_set);
    if (mode != 0700 && fs_.chmod(to, mode) != 0) throw_errno(errno, "cannot chmod", to);
    sync_directory(fs_, to);
  }

  void copy_file(const std::filesystem::path &from, const std::filesystem::path &to, const std::string &relative) {
    OpenFile source(fs_, from, O_RDONLY | O_NOFOLLOW);
    const struct stat status = source.status();
    if (!S_ISREG(status.st_mode)) throw std::runtime_error(from.string() + ": changed type while being copied");
    PartialFile destination(fs_, to);
    const HashedBytes copied = copier_.copy(source.fd(), from, destination.fd(), destination.partial_path());
    Entry entry{relative, EntryType::kFile, copied.size, status.st_mode & 07777, copied.sha256, {}};
    destination.commit(stored_mode(entry, options_.private_set), &status);
    entries_.push_back(std::move(entry));
  }

  void copy_symlink(const std::filesystem::path &from, const std::filesystem::path &to, const std::string &relative,
                    const struct stat &status) {
    auto target = fs_.readlink(from);
    if (!target) throw_errno(errno, "cannot read the symlink", from);
    // symlink(2) creates the entry complete, so no partial name is needed.
    if (fs_.symlink(*target, to) != 0) throw_errno(errno, "cannot create the symlink", to);
    entries_.push_back(Entry{relative, EntryType::kSymlink, target->size(), status.st_mode & 07777, {}, *target});
  }

  FileSystem &fs_;
  CopyOptions options_;
  HashingCopier copier_;
  std::vector<Entry> entries_;
};

}  // namespace

std::vector<Entry> copy_tree_hashed(const std::filesystem::path &from, const std::filesystem::path &to,
                                    const CopyOptions &options, FileSystem &fs) {
  bool created_top = false;
  return TreeCopier(fs, options).copy(from, to, created_top);
}

Manifest create_backup_set(const std::filesystem::path &from, const std::filesystem::path &set,
                           const CopyOptions &options, FileSystem &fs) {
  Manifest manifest;
  manifest.private_set = options.private_set;
  bool created_top = false;
  try {
    manifest.entries = TreeCopier(fs, options).copy(from, set, created_top);
    write_manifest(fs, set, manifest);
  } catch (...) {
    if (created_top && !options.keep_partial_on_failure) {
      try {
        remove_tree(fs, set);
      } catch (...) {
        // The copy's error is the one to report; a leftover set without a
        // manifest is still recognisably incomplete.
      }
    }
    throw;
  }
  return manifest;
}

std::string kubeadm_etcd_backup_name(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm local{};
  if (::localtime_r(&seconds, &local) == nullptr) throw std::runtime_error("localtime_r failed");
  char stamp[32];
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%d-%H-%M-%S", &local);
  return "kubeadm-backup-etcd-" + std::string(stamp, n);
}

}  // namespace kuphost_plugins::etcd_backup
