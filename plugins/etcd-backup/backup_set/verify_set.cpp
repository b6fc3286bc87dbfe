#include "verify_set.h"

#include <fcntl.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <set>

#include "io.h"
#include "manifest.h"

namespace kuphost_plugins::etcd_backup {
namespace {



std::string type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "directory";
  if (S_ISREG(mode)) return "file";
  if (S_ISLNK(mode)) return "symlink";
  return "special file";
}

bool same_type(EntryType type, mode_t mode) {
  switch (type) {
    case EntryType::kDirectory: return S_ISDIR(mode);
    case EntryType::kFile: return S_ISREG(mode);
    case EntryType::kSymlink: return S_ISLNK(mode);
  }
  return false;
}

// What is in the set: relative path -> lstat, the manifest itself left out.
void walk(FileSystem &fs, const std::filesystem::path &dir, const std::string &relative,
          std::map<std::string, struct stat> &found, std::vector<std::string> &order) {
  for (const auto &name : list_directory_or_throw(fs, dir)) {
    if (relative == "." && name == kManifestName) continue;
    const std::string child = relative == "." ? name : relative + "/" + name;
    const struct stat status = lstat_or_throw(fs, dir / name);
    found.emplace(child, status);
    order.push_back(child);
    if (S_ISDIR(status.st_mode)) walk(fs, dir / name, child, found, order);
  }
}

}  // namespace

std::string describe(const Problem &problem) {
  static constexpr const char *kWhat[] = {"incomplete set", "missing",       "not in the manifest", "type changed",
                                          "size changed",   "mode changed", "content changed"};
  std::string text = problem.path + ": " + kWhat[static_cast<int>(problem.kind)];
  if (!problem.detail.empty()) text += " (" + problem.detail + ")";
  return text;
}

VerifyReport verify_set(const std::filesystem::path &set, const StreamOptions &options, FileSystem &fs) {
  VerifyReport report;
  const auto manifest = read_manifest(fs, set);
  if (!manifest) {
    report.problems.push_back({ProblemKind::kIncomplete, std::string(kManifestName),
                               "no manifest: the backup did not finish"});
    return report;
  }
  std::map<std::string, struct stat> found;
  std::vector<std::string> order;
  found.emplace(".", lstat_or_throw(fs, set));
  walk(fs, set, ".", found, order);

  HashingCopier hasher(fs, options);
  std::set<std::string> listed;
  for (const auto &entry : manifest->entries) {
    listed.insert(entry.path);
    const auto on_disk = found.find(entry.path);
    if (on_disk == found.end()) {
      report.problems.push_back({ProblemKind::kMissing, entry.path, std::string("a ") + entry_type_name(entry.type)});
      continue;
    }
    const struct stat &status = on_disk->second;
    if (!same_type(entry.type, status.st_mode)) {
      report.problems.push_back({ProblemKind::kTypeChanged, entry.path,
                                 std::string(entry_type_name(entry.type)) + " in the manifest, " +
                                     type_name(status.st_mode) + " found"});
      continue;
    }
    const std::filesystem::path path = entry.path == "." ? set : set / entry.path;
    const mode_t expected_mode = stored_mode(entry, manifest->private_set);
    if (entry.type != EntryType::kSymlink && (status.st_mode & 07777) != expected_mode)
      report.problems.push_back({ProblemKind::kModeChanged, entry.path,
                                 octal_mode(expected_mode) + " expected, " + octal_mode(status.st_mode & 07777) + " found"});
    if (entry.type == EntryType::kSymlink) {
      auto target = fs.readlink(path);
      if (!target) throw_errno(errno, "cannot read the symlink", path);
      if (*target != entry.link_target)
        report.problems.push_back({ProblemKind::kContentChanged, entry.path,
                                   "points to '" + *target + "', the manifest says '" + entry.link_target + "'"});
    } else if (entry.type == EntryType::kFile) {
      if (static_cast<std::uint64_t>(status.st_size) != entry.size) {
        report.problems.push_back({ProblemKind::kSizeChanged, entry.path,
                                   std::to_string(entry.size) + " bytes in the manifest, " +
                                       std::to_string(status.st_size) + " found"});
        continue;
      }
      OpenFile file(fs, path, O_RDONLY | O_NOFOLLOW);
      const HashedBytes hashed = hasher.hash(file.fd(), path);
      if (hashed.sha256 != entry.sha256 || hashed.size != entry.size)
        report.problems.push_back({ProblemKind::kContentChanged, entry.path,
                                   "sha256 " + entry.sha256 + " in the manifest, " + hashed.sha256 + " found"});
    }
  }
  for (const auto &path : order)
    if (!listed.contains(path))
      report.problems.push_back({ProblemKind::kExtra, path, "a " + type_name(found.at(path).st_mode)});
  return report;
}

}  // namespace kuphost_plugins::etcd_backup
