//===- backup_set/entry.h - one file, directory or symlink of a backup set ---
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_ENTRY_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_ENTRY_H

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace kuphost_plugins::etcd_backup {

enum class EntryType { kDirectory, kFile, kSymlink };

struct Entry {
  // Relative to the tree's top, '/'-separated; "." is the top itself.
  std::string path;
  EntryType type = EntryType::kFile;
  // Files: bytes copied. Symlinks: length of the target. Directories: 0.
  std::uint64_t size = 0;
  // Permission bits (07777) of the source, which a restore gives back.
  mode_t mode = 0;
  std::string sha256;       // files only, lowercase hex
  std::string link_target;  // symlinks only

  bool operator==(const Entry &) const = default;
};

// "0644": modes in messages.
inline std::string octal_mode(mode_t mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

inline const char *entry_type_name(EntryType type) {
  switch (type) {
    case EntryType::kDirectory: return "directory";
    case EntryType::kFile: return "file";
    case EntryType::kSymlink: return "symlink";
  }
  return "?";
}

// The mode an entry has inside a set: a private set keeps files 0600 and
// directories 0700 whatever the source had (etcd itself uses exactly those).
inline mode_t stored_mode(const Entry &entry, bool private_set) {
  if (!private_set || entry.type == EntryType::kSymlink) return entry.mode;
  return entry.type == EntryType::kDirectory ? 0700 : 0600;
}

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_BACKUP_SET_ENTRY_H
