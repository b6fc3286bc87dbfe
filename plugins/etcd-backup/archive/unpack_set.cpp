#include "unpack_set.h"

#include <archive_entry.h>

#include <cerrno>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "archive_error.h"
#include "archive_input.h"
#include "backup_set/io.h"
#include "backup_set/verify_set.h"
#include "entry_names.h"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr std::size_t kBlockSize = std::size_t{1} << 20;

// Returns true when this call created `to`.
bool prepare_target(FileSystem &fs, const std::filesystem::path &to) {
  switch (prepare_empty_target(fs, to)) {
    case TargetState::kCreated: return true;
    case TargetState::kWasEmpty: return false;
    case TargetState::kNotADirectory: throw ArchiveError(to.string() + " exists and is not a directory");
    case TargetState::kNotEmpty: break;
  }
  throw ArchiveError("refusing to unpack into " + to.string() + ": it exists and is not empty");
}

// remove_tree, but directories whose archived mode (already applied) forbids
// writing are opened up first.
void remove_unpacked(FileSystem &fs, const std::filesystem::path &path) {
  const struct stat status = lstat_or_throw(fs, path);
  if (!S_ISDIR(status.st_mode)) {
    if (fs.unlink(path) != 0) throw_errno(errno, "cannot remove", path);
    return;
  }
  (void)fs.chmod(path, 0700);
  for (const auto &name : list_directory_or_throw(fs, path)) remove_unpacked(fs, path / name);
  if (fs.rmdir(path) != 0) throw_errno(errno, "cannot remove", path);
}

class Extractor {
 public:
  Extractor(FileSystem &fs, ArchiveInput &input, const std::filesystem::path &to)
      : fs_(fs), input_(input), to_(to), buffer_(kBlockSize) {}

  void extract_all() {
    while (archive_entry *entry = input_.next_entry()) extract(entry);
    // Deepest first: a directory's mode may forbid writing into it, and its
    // fsync must come after the renames inside it.
    for (auto it = directories_.rbegin(); it != directories_.rend(); ++it) {
      const auto path = it->first == "." ? to_ : to_ / it->first;
      if (fs_.chmod(path, it->second) != 0) throw_errno(errno, "cannot chmod", path);
      sync_directory(fs_, path);
    }
    if (!unpacked_.contains(".")) sync_directory(fs_, to_);
    sync_directory(fs_, to_.parent_path().empty() ? "." : to_.parent_path());
  }

 private:
  void refuse(const std::string &path, const std::string &why) {
    throw ArchiveError(input_.name() + ": refusing entry '" + printable(path) + "': " + why);
  }

  void extract(archive_entry *entry) {
    const CheckedEntry checked = check_entry(input_.name(), entry);
    if (!unpacked_.insert(checked.path).second) refuse(checked.path, "it appears twice");
    // Only inside directories this call made: never through a symlink, never
    // into something that was there before.
    if (checked.path != "." && !directory_paths_.contains(parent_of(checked.path)))
      refuse(checked.path, "its parent is not a directory unpacked before it");
    const mode_t mode = archive_entry_perm(entry) & 0777;
    const auto target = checked.path == "." ? to_ : to_ / checked.path;
    switch (checked.type) {
      case EntryType::kDirectory:
        if (checked.path != "." && fs_.mkdir(target, 0700) != 0)
          throw_errno(errno, "cannot create directory", target);
        directory_paths_.insert(checked.path);
        directories_.emplace_back(checked.path, mode);
        break;
      case EntryType::kSymlink:
        if (fs_.symlink(archive_entry_symlink(entry), target) != 0)
          throw_errno(errno, "cannot create the symlink", target);
        break;
      case EntryType::kFile: {
        PartialFile file(fs_, target);
        while (const std::size_t n = input_.read_data(buffer_))
          write_all(fs_, file.fd(), std::span(buffer_).first(n), file.partial_path());
        struct stat times {};
        times.st_mtim = {archive_entry_mtime(entry), archive_entry_mtime_nsec(entry)};
        file.commit(mode, archive_entry_mtime_is_set(entry) ? &times : nullptr);
        break;
      }
    }
  }

  FileSystem &fs_;
  ArchiveInput &input_;
  const std::filesystem::path &to_;
  std::vector<std::byte> buffer_;
  std::set<std::string> unpacked_;
  std::set<std::string> directory_paths_{"."};
  std::vector<std::pair<std::string, mode_t>> directories_;  // in archive order, parents first
};

}  // namespace

void unpack_set(const std::filesystem::path &archive_path, const std::filesystem::path &to,
                const std::optional<EncryptionKey> &key, FileSystem &fs) {
  ArchiveInput input(archive_path, key, fs);  // a wrong key fails here, before `to` is touched
  const bool created_target = prepare_target(fs, to);
  try {
    Extractor(fs, input, to).extract_all();
    const VerifyReport report = verify_set(to, {}, fs);
    if (!report.ok()) {
      std::string message = archive_path.string() + ": the unpacked set does not match its manifest: " +
                            describe(report.problems.front());
      if (report.problems.size() > 1)
        message += " (and " + std::to_string(report.problems.size() - 1) + " more problems)";
      throw ArchiveError(message);
    }
  } catch (...) {
    try {
      if (created_target) {
        remove_unpacked(fs, to);
      } else {
        (void)fs.chmod(to, 0700);
        for (const auto &name : list_directory_or_throw(fs, to)) remove_unpacked(fs, to / name);
      }
    } catch (...) {
      // Report the unpack's error, not the cleanup's.
    }
    throw;
  }
}

}  // namespace kuphost_plugins::etcd_backup
