#include "entry_names.h"

#include <archive_entry.h>

#include <cstdio>
#include <vector>

#include "archive_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return parts;
    start = slash + 1;
  }
}

}  // namespace

CheckedName check_entry_name(std::string_view raw) {
  std::string_view name = raw;
  if (name.empty()) return {"", "empty name"};
  if (name.front() == '/') return {"", "absolute name"};
  if (name.find('\0') != std::string_view::npos) return {"", "NUL byte in the name"};
  if (name.size() > 1 && name.back() == '/') name.remove_suffix(1);
  if (name == "." ) return {".", ""};
  if (name.starts_with("./")) name.remove_prefix(2);
  for (const auto part : split(name)) {
    if (part.empty()) return {"", "empty path component"};
    if (part == "..") return {"", "'..' component"};
    if (part == ".") return {"", "'.' component"};
  }
  return {std::string(name), ""};
}

std::string symlink_escape(std::string_view link_path, std::string_view target) {
  if (target.empty()) return "empty symlink target";
  if (target.front() == '/') return "absolute symlink target";
  // Depth of the link's directory below the top, then walk the target.
  long depth = 0;
  const std::string parent = parent_of(link_path);  // split() returns views into it
  for (const auto part : split(parent))
    if (part != ".") ++depth;
  for (const auto part : split(target)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (--depth < 0) return "symlink target leaves the set";
    } else {
      ++depth;
    }
  }
  return "";
}

std::string parent_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? "." : std::string(path.substr(0, slash));
}

std::string printable(std::string_view name) {
  std::string out;
  for (const unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\%03o", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

CheckedEntry check_entry(const std::string &archive_name, archive_entry *entry) {
  const char *raw = archive_entry_pathname(entry);
  if (raw == nullptr) throw ArchiveError(archive_name + ": refusing an entry without a readable name");
  const CheckedName name = check_entry_name(raw);
  const std::string quoted = "'" + printable(raw) + "'";
  if (!name.ok()) throw ArchiveError(archive_name + ": refusing entry " + quoted + ": " + name.refusal);
  if (archive_entry_hardlink(entry) != nullptr)
    throw ArchiveError(archive_name + ": refusing entry " + quoted + ": hard links are not part of a backup set");
  CheckedEntry checked{name.path, EntryType::kFile};
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG: checked.type = EntryType::kFile; break;
    case AE_IFDIR: checked.type = EntryType::kDirectory; break;
    case AE_IFLNK: {
      checked.type = EntryType::kSymlink;
      const char *target = archive_entry_symlink(entry);
      const std::string escape = symlink_escape(name.path, target == nullptr ? "" : target);
      if (!escape.empty())
        throw ArchiveError(archive_name + ": refusing entry " + quoted + ": " + escape + " ('" +
                           printable(target == nullptr ? "" : target) + "')");
      break;
    }
    default:
      throw ArchiveError(archive_name + ": refusing entry " + quoted +
                         ": not a file, directory or symlink (devices and FIFOs are not part of a backup set)");
  }
  if (name.path == "." && checked.type != EntryType::kDirectory)
    throw ArchiveError(archive_name + ": refusing entry " + quoted + ": the top of the set must be a directory");
  return checked;
}

}  // namespace kuphost_plugins::etcd_backup
