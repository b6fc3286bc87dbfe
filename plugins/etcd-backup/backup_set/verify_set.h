//===- backup_set/verify_set.h - re-hash a set against its manifest ----------
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_VERIFY_SET_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_VERIFY_SET_H

#include <filesystem>
#include <string>
#include <vector>

#include "file_system.h"
#include "hashing_copier.h"

namespace kuphost_plugins::etcd_backup {

enum class ProblemKind {
  kIncomplete,      // no manifest: the backup never finished
  kMissing,         // listed, not there
  kExtra,           // there, not listed
  kTypeChanged,     // e.g. a file where a directory was
  kSizeChanged,
  kModeChanged,
  kContentChanged,  // SHA-256 or symlink target differs
};

struct Problem {
  ProblemKind kind;
  std::string path;    // relative to the set; the manifest's name for kIncomplete
  std::string detail;  // expected and found values

  bool operator==(const Problem &) const = default;
};

// "member/snap/db: content changed (sha256 ... in the manifest, ... found)".
std::string describe(const Problem &problem);

struct VerifyReport {
  std::vector<Problem> problems;  // manifest order, then extra entries
  bool ok() const { return problems.empty(); }
};

// Reads every file of the set once. Throws when the set cannot be read at
// all (no such directory, EACCES) or its manifest does not parse.
VerifyReport verify_set(const std::filesystem::path &set, const StreamOptions &options = {},
                        FileSystem &fs = real_file_system());

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_VERIFY_SET_H
