#include "tree_copier.h"

#include <fcntl.h>

#include <cerrno>
#include <stdexcept>

#include "io.h"
#include "manifest.h"

namespace kuphost_plugins::etcd_backup {
namespace {

std::string child_path(const std::string &parent, const std::string &name) {
  return parent == "." ? name : parent + "/" + name;
}

}  // namespace

TreeCopier::TreeCopier(FileSystem &fs, const CopyOptions &options)
    : fs_(fs), options_(options), copier_(fs, options.stream) {}

void TreeCopier::copy_directory_tree(const std::filesystem::path &from, const std::filesystem::path &to,
                                     const std::string &relative, bool &created_top) {
  const struct stat top = lstat_or_throw(fs_, from);
  if (!S_ISDIR(top.st_mode))
    throw std::runtime_error(from.string() + " is not a directory (a symlink? pass the directory it points to)");
  make_directory(to);
  created_top = true;
  copy_directory(from, to, relative, top);
  sync_directory(fs_, to.parent_path().empty() ? "." : to.parent_path());
}

void TreeCopier::make_directory(const std::filesystem::path &to) {
  // 0700 while it fills; the final mode comes after the contents.
  if (fs_.mkdir(to, 0700) != 0) throw_errno(errno, "cannot create directory", to);
}

void TreeCopier::add_directory_entry(const std::string &relative, mode_t mode) {
  entries_.push_back(Entry{relative, EntryType::kDirectory, 0, mode & 07777, {}, {}});
}

void TreeCopier::copy_directory(const std::filesystem::path &from, const std::filesystem::path &to,
                                const std::string &relative, const struct stat &status) {
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

void TreeCopier::copy_file(const std::filesystem::path &from, const std::filesystem::path &to,
                           const std::string &relative) {
  OpenFile source(fs_, from, O_RDONLY | O_NOFOLLOW);
  const struct stat status = source.status();
  if (!S_ISREG(status.st_mode)) throw std::runtime_error(from.string() + ": changed type while being copied");
  PartialFile destination(fs_, to);
  const HashedBytes copied = copier_.copy(source.fd(), from, destination.fd(), destination.partial_path());
  Entry entry{relative, EntryType::kFile, copied.size, status.st_mode & 07777, copied.sha256, {}};
  destination.commit(stored_mode(entry, options_.private_set), &status);
  entries_.push_back(std::move(entry));
}

void TreeCopier::adopt_file(const std::filesystem::path &path, const std::string &relative) {
  OpenFile file(fs_, path, O_RDONLY | O_NOFOLLOW);
  const struct stat status = file.status();
  if (!S_ISREG(status.st_mode)) throw std::runtime_error(path.string() + ": not a regular file");
  const HashedBytes hashed = copier_.hash(file.fd(), path);
  Entry entry{relative, EntryType::kFile, hashed.size, status.st_mode & 07777, hashed.sha256, {}};
  const mode_t mode = stored_mode(entry, options_.private_set);
  if ((status.st_mode & 07777) != mode && fs_.chmod(path, mode) != 0) throw_errno(errno, "cannot chmod", path);
  file.sync();  // the other program may not have
  entries_.push_back(std::move(entry));
}

void TreeCopier::copy_symlink(const std::filesystem::path &from, const std::filesystem::path &to,
                              const std::string &relative, const struct stat &status) {
  auto target = fs_.readlink(from);
  if (!target) throw_errno(errno, "cannot read the symlink", from);
  // symlink(2) creates the entry complete, so no partial name is needed.
  if (fs_.symlink(*target, to) != 0) throw_errno(errno, "cannot create the symlink", to);
  entries_.push_back(Entry{relative, EntryType::kSymlink, target->size(), status.st_mode & 07777, {}, *target});
}

}  // namespace kuphost_plugins::etcd_backup
