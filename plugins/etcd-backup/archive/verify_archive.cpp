#include "verify_archive.h"

#include <archive_entry.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "archive_error.h"
#include "archive_input.h"
#include "backup_set/manifest.h"
#include "backup_set/sha256.h"
#include "entry_names.h"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr std::size_t kBlockSize = std::size_t{1} << 20;
// A manifest lists one line or two per entry; far beyond any etcd data
// directory, and a bound on what a corrupt archive can make us hold.
constexpr std::size_t kMaxManifestSize = std::size_t{64} << 20;



// What an archive entry holds, as far as the manifest can say.
struct Found {
  EntryType type;
  mode_t mode;
  std::uint64_t size;
  std::string sha256;
  std::string link_target;
};

class ArchiveScan {
 public:
  explicit ArchiveScan(ArchiveInput &input) : input_(input), buffer_(kBlockSize) {}

  void scan(VerifyReport &report) {
    while (archive_entry *entry = input_.next_entry()) {
      const CheckedEntry checked = check_entry(input_.name(), entry);
      if (checked.path == kManifestName && checked.type == EntryType::kFile) {
        read_manifest_text();
        continue;
      }
      Found found{checked.type, archive_entry_perm(entry) & 07777, 0, "", ""};
      if (checked.type == EntryType::kSymlink) found.link_target = archive_entry_symlink(entry);
      if (checked.type == EntryType::kFile) hash_data(found);
      if (found_.contains(checked.path)) {
        report.problems.push_back({ProblemKind::kExtra, checked.path, "a second entry of that name"});
        continue;
      }
      found_.emplace(checked.path, std::move(found));
      order_.push_back(checked.path);
    }
  }

  const std::optional<std::string> &manifest_text() const { return manifest_text_; }
  const std::map<std::string, Found> &found() const { return found_; }
  const std::vector<std::string> &order() const { return order_; }

 private:
  void hash_data(Found &found) {
    while (const std::size_t n = input_.read_data(buffer_)) {
      digest_.update(std::span(buffer_).first(n));
      found.size += n;
    }
    found.sha256 = digest_.finish_hex();
  }

  void read_manifest_text() {
    std::string text;
    while (const std::size_t n = input_.read_data(buffer_)) {
      if (text.size() + n > kMaxManifestSize)
        throw ArchiveError(input_.name() + ": " + std::string(kManifestName) + " inside is larger than 64 MiB");
      text.append(reinterpret_cast<const char *>(buffer_.data()), n);
    }
    manifest_text_ = std::move(text);
  }

  ArchiveInput &input_;
  std::vector<std::byte> buffer_;
  Sha256 digest_;
  std::optional<std::string> manifest_text_;
  std::map<std::string, Found> found_;
  std::vector<std::string> order_;
};

void compare(const Manifest &manifest, const ArchiveScan &scan, VerifyReport &report) {
  std::set<std::string> listed;
  for (const auto &entry : manifest.entries) {
    listed.insert(entry.path);
    const auto it = scan.found().find(entry.path);
    if (it == scan.found().end()) {
      report.problems.push_back({ProblemKind::kMissing, entry.path, std::string("a ") + entry_type_name(entry.type)});
      continue;
    }
    const Found &found = it->second;
    if (found.type != entry.type) {
      report.problems.push_back({ProblemKind::kTypeChanged, entry.path,
                                 std::string(entry_type_name(entry.type)) + " in the manifest, " +
                                     entry_type_name(found.type) + " found"});
      continue;
    }
    const mode_t expected_mode = stored_mode(entry, manifest.private_set);
    if (entry.type != EntryType::kSymlink && found.mode != expected_mode)
      report.problems.push_back({ProblemKind::kModeChanged, entry.path,
                                 octal_mode(expected_mode) + " expected, " + octal_mode(found.mode) + " found"});
    if (entry.type == EntryType::kSymlink && found.link_target != entry.link_target)
      report.problems.push_back({ProblemKind::kContentChanged, entry.path,
                                 "points to '" + found.link_target + "', the manifest says '" + entry.link_target +
                                     "'"});
    if (entry.type != EntryType::kFile) continue;
    if (found.size != entry.size)
      report.problems.push_back({ProblemKind::kSizeChanged, entry.path,
                                 std::to_string(entry.size) + " bytes in the manifest, " +
                                     std::to_string(found.size) + " found"});
    else if (found.sha256 != entry.sha256)
      report.problems.push_back({ProblemKind::kContentChanged, entry.path,
                                 "sha256 " + entry.sha256 + " in the manifest, " + found.sha256 + " found"});
  }
  for (const auto &path : scan.order())
    if (!listed.contains(path))
      report.problems.push_back(
          {ProblemKind::kExtra, path, std::string("a ") + entry_type_name(scan.found().at(path).type)});
}

}  // namespace

VerifyReport verify_archive(const std::filesystem::path &archive_path, const std::optional<EncryptionKey> &key,
                            FileSystem &fs) {
  ArchiveInput input(archive_path, key, fs);
  ArchiveScan scan(input);
  VerifyReport duplicates;
  scan.scan(duplicates);

  VerifyReport report;
  if (!scan.manifest_text()) {
    report.problems.push_back({ProblemKind::kIncomplete, std::string(kManifestName),
                               "no manifest in the archive: the backup did not finish"});
    return report;
  }
  Manifest manifest;
  try {
    manifest = parse_manifest(*scan.manifest_text());
  } catch (const ManifestError &error) {
    throw ArchiveError(input.name() + ": " + std::string(kManifestName) + " inside does not parse: " + error.what());
  }
  compare(manifest, scan, report);
  report.problems.insert(report.problems.end(), duplicates.problems.begin(), duplicates.problems.end());
  return report;
}

}  // namespace kuphost_plugins::etcd_backup
