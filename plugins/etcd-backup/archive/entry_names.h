//===- archive/entry_names.h - which archive entries may be unpacked ---------
//
// An archive may come from anywhere (a copy on a shared disk, a crafted
// file), and unpacking runs as root, so every name is checked before it
// touches the disk: relative, no "..", no empty component, and symlink
// targets that stay inside the set. Unpacking also creates an entry only
// inside a directory it unpacked itself, so nothing is written through a
// symlink.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENTRY_NAMES_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENTRY_NAMES_H

#include <string>
#include <string_view>

#include "backup_set/entry.h"

struct archive_entry;

namespace kuphost_plugins::etcd_backup {

struct CheckedName {
  std::string path;      // relative to the set, as in the manifest; "." for the top
  std::string refusal;   // why the name is unsafe; empty when it is fine
  bool ok() const { return refusal.empty(); }
};

// Accepts "a/b", "a/b/" (tar's spelling of a directory), "./a/b" (what
// `tar -C set .` writes) and "." / "./" for the top.
CheckedName check_entry_name(std::string_view raw_name);

// Empty when a symlink at `link_path` pointing to `target` stays inside the
// set when resolved by name (absolute targets and ".." above the top do
// not), else why not.
std::string symlink_escape(std::string_view link_path, std::string_view target);

// "a/b" -> "a"; "a" -> ".".
std::string parent_of(std::string_view path);

// The name for a message: bytes below 0x20, 0x7f and '\' as \ooo.
std::string printable(std::string_view name);

struct CheckedEntry {
  std::string path;
  EntryType type = EntryType::kFile;
};

// The checks unpack_set and verify_archive share: a safe name, a file,
// directory or symlink (no hard links, devices, FIFOs), a symlink target
// inside the set. Throws ArchiveError starting with `archive_name`.
CheckedEntry check_entry(const std::string &archive_name, archive_entry *entry);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_ARCHIVE_ENTRY_NAMES_H
