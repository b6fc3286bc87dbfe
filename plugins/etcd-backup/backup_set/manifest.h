//===- backup_set/manifest.h - MANIFEST.sha256, the last file of a set -------
//
// One text file an operator can check with coreutils alone:
//
//   # kuphost backup set, format 1. ...
//   #: set private
//   #: d 0700 0 .
//   #: f 0600 1073741824 member/snap/db
//   #: l 0777 2 member/link db
//   9f86d0...  member/snap/db
//   # end 3 entries
//
// `sha256sum -c MANIFEST.sha256` inside the set checks every file (coreutils
// skips lines that start with '#'). The "#:" lines carry what sha256sum does
// not: every entry with type, the source's mode and size, symlink targets.
// Fields there escape bytes <= 0x20, 0x7f and '\' as \ooo, like /proc/mounts;
// checksum lines use sha256sum's own escaping. "# end N entries" closes the
// file, so a truncated copy of a manifest does not parse.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_MANIFEST_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_MANIFEST_H

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "entry.h"
#include "file_system.h"

namespace kuphost_plugins::etcd_backup {

inline constexpr std::string_view kManifestName = "MANIFEST.sha256";

struct Manifest {
  bool private_set = true;     // see stored_mode()
  std::vector<Entry> entries;  // parents before their contents

  bool operator==(const Manifest &) const = default;
};

class ManifestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string format_manifest(const Manifest &manifest);
// Throws ManifestError naming the line.
Manifest parse_manifest(std::string_view text);

// Writes <set>/MANIFEST.sha256 atomically: partial file, fsync, rename, fsync
// of the set directory. Call it after everything else in the set is durable.
void write_manifest(FileSystem &fs, const std::filesystem::path &set, const Manifest &manifest);
// nullopt when the set has no manifest (an incomplete set); throws
// ManifestError when it has one that does not parse.
std::optional<Manifest> read_manifest(FileSystem &fs, const std::filesystem::path &set);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_MANIFEST_H
