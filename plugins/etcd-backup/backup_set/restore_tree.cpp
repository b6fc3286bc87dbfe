#include "restore_tree.h"

#include <fcntl.h>

#include <cerrno>
#include <vector>

#include "io.h"
#include "manifest.h"

namespace kuphost_plugins::etcd_backup {
namespace {

// Returns true when this call created `to`; false when it was an empty
// directory already.
bool prepare_target(FileSystem &fs, const std::filesystem::path &to) {
  switch (prepare_empty_target(fs, to)) {
    case TargetState::kCreated: return true;
    case TargetState::kWasEmpty: return false;
    case TargetState::kNotADirectory: throw RestoreError(to.string() + " exists and is not a directory");
    case TargetState::kNotEmpty: break;
  }
  throw RestoreError("refusing to restore into " + to.string() + ": it exists and is not empty");
}

void restore_entries(FileSystem &fs, const std::filesystem::path &set, const std::filesystem::path &to,
                     const Manifest &manifest, const StreamOptions &options) {
  HashingCopier copier(fs, options);
  std::vector<const Entry *> directories;
  for (const auto &entry : manifest.entries) {
    const auto source = entry.path == "." ? set : set / entry.path;
    const auto target = entry.path == "." ? to : to / entry.path;
    switch (entry.type) {
      case EntryType::kDirectory:
        if (entry.path != "." && fs.mkdir(target, 0700) != 0) throw_errno(errno, "cannot create directory", target);
        directories.push_back(&entry);
        break;
      case EntryType::kSymlink:
        if (fs.symlink(entry.link_target, target) != 0) throw_errno(errno, "cannot create the symlink", target);
        break;
      case EntryType::kFile: {
        OpenFile file(fs, source, O_RDONLY | O_NOFOLLOW);
        const struct stat status = file.status();
        if (!S_ISREG(status.st_mode)) throw RestoreError(entry.path + ": not a regular file in the set");
        PartialFile restored(fs, target);
        const HashedBytes copied = copier.copy(file.fd(), source, restored.fd(), restored.partial_path());
        if (copied.size != entry.size || copied.sha256 != entry.sha256)
          throw RestoreError(entry.path + ": the set's copy differs from its manifest (sha256 " + entry.sha256 +
                             ", " + std::to_string(entry.size) + " bytes expected; " + copied.sha256 + ", " +
                             std::to_string(copied.size) + " bytes read)");
        restored.commit(entry.mode, &status);
        break;
      }
    }
  }
  // Deepest first: a directory's final mode may forbid writing into it, and
  // its fsync should cover the renames of everything inside.
  for (auto it = directories.rbegin(); it != directories.rend(); ++it) {
    const auto target = (*it)->path == "." ? to : to / (*it)->path;
    if (fs.chmod(target, (*it)->mode) != 0) throw_errno(errno, "cannot chmod", target);
    sync_directory(fs, target);
  }
  sync_directory(fs, to.parent_path().empty() ? "." : to.parent_path());
}

}  // namespace

void restore_tree(const std::filesystem::path &set, const std::filesystem::path &to, const StreamOptions &options,
                  FileSystem &fs) {
  const auto manifest = read_manifest(fs, set);
  if (!manifest)
    throw RestoreError(set.string() + " is incomplete (no " + std::string(kManifestName) + "); not restoring it");
  const bool created_target = prepare_target(fs, to);
  try {
    restore_entries(fs, set, to, *manifest, options);
  } catch (...) {
    try {
      if (created_target) {
        remove_tree(fs, to);
      } else {
        (void)fs.chmod(to, 0700);  // a restored 0500 would stop the cleanup
        for (const auto &name : list_directory_or_throw(fs, to)) remove_tree(fs, to / name);
      }
    } catch (...) {
      // Report the restore's error, not the cleanup's.
    }
    throw;
  }
}

}  // namespace kuphost_plugins::etcd_backup
