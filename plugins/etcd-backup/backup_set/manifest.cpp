#include "manifest.h"

#include <fcntl.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <map>
#include <set>
#include <span>

#include "io.h"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr std::string_view kHeader =
    "# kuphost backup set, format 1. Written last: a set without this file is incomplete.\n"
    "# Check the files: cd into this directory, then run: sha256sum -c MANIFEST.sha256\n"
    "# \"#:\" lines list every entry: type (d directory, f file, l symlink), mode of the\n"
    "# source (octal), size in bytes, path relative to this directory, symlink target.\n";
constexpr std::string_view kEntryPrefix = "#: ";
constexpr std::string_view kEndPrefix = "# end ";

bool needs_octal_escape(unsigned char c) { return c <= 0x20 || c == 0x7f || c == '\\'; }

std::string escape_field(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (!needs_octal_escape(c)) {
      out.push_back(ch);
      continue;
    }
    out.push_back('\\');
    out.push_back(static_cast<char>('0' + ((c >> 6) & 7)));
    out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
    out.push_back(static_cast<char>('0' + (c & 7)));
  }
  return out;
}

[[noreturn]] void fail(std::size_t line, const std::string &why) {
  throw ManifestError(std::string(kManifestName) + " line " + std::to_string(line) + ": " + why);
}

std::string unescape_field(std::string_view text, std::size_t line) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 3 >= text.size()) fail(line, "incomplete escape");
    int value = 0;
    for (std::size_t k = 1; k <= 3; ++k) {
      const char d = text[i + k];
      if (d < '0' || d > '7') fail(line, "bad escape");
      value = value * 8 + (d - '0');
    }
    if (value > 0xff) fail(line, "bad escape");
    out.push_back(static_cast<char>(value));
    i += 3;
  }
  return out;
}

// sha256sum's own rule: a name with '\' or a newline makes the line start
// with '\' and spells those two as \\ and \n.
std::string checksum_line(const Entry &entry) {
  const bool escaped = entry.path.find_first_of("\\\n") != std::string::npos;
  std::string line = escaped ? "\\" : "";
  line += entry.sha256;
  line += "  ";
  for (const char c : entry.path) {
    if (escaped && c == '\\') {
      line += "\\\\";
    } else if (escaped && c == '\n') {
      line += "\\n";
    } else {
      line.push_back(c);
    }
  }
  return line + "\n";
}

std::vector<std::string_view> split_on(std::string_view text, char separator) {
  std::vector<std::string_view> fields;
  for (;;) {
    const auto at = text.find(separator);
    fields.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return fields;
    text.remove_prefix(at + 1);
  }
}

std::vector<std::string_view> split_spaces(std::string_view text) { return split_on(text, ' '); }

template <typename Number>
Number parse_number(std::string_view text, int base, std::size_t line, const char *what) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) fail(line, std::string("bad ") + what);
  return value;
}

// A restore writes to <target>/<path>: no absolute paths, no "..", no
// empty or "." components (except the top, "." itself).
bool is_safe_relative_path(std::string_view path) {
  if (path == ".") return true;
  if (path.empty() || path.front() == '/') return false;
  for (const auto component : split_on(path, '/'))
    if (component.empty() || component == "." || component == "..") return false;
  return true;
}

Entry parse_entry(std::string_view text, std::size_t line) {
  const auto fields = split_spaces(text);
  if (fields.size() < 4) fail(line, "an entry needs type, mode, size and path");
  Entry entry;
  if (fields[0] == "d") {
    entry.type = EntryType::kDirectory;
  } else if (fields[0] == "f") {
    entry.type = EntryType::kFile;
  } else if (fields[0] == "l") {
    entry.type = EntryType::kSymlink;
  } else {
    fail(line, "unknown entry type '" + std::string(fields[0]) + "'");
  }
  entry.mode = parse_number<mode_t>(fields[1], 8, line, "mode");
  if (entry.mode > 07777) fail(line, "bad mode");
  entry.size = parse_number<std::uint64_t>(fields[2], 10, line, "size");
  entry.path = unescape_field(fields[3], line);
  if (!is_safe_relative_path(entry.path)) fail(line, "path '" + entry.path + "' leaves the set");
  const std::size_t expected_fields = entry.type == EntryType::kSymlink ? 5 : 4;
  if (fields.size() != expected_fields) fail(line, "wrong number of fields");
  if (entry.type == EntryType::kSymlink) entry.link_target = unescape_field(fields[4], line);
  return entry;
}

// "<64 hex>  <name>" or "\<64 hex>  <escaped name>"; returns {name, hash}.
std::pair<std::string, std::string> parse_checksum(std::string_view text, std::size_t line) {
  const bool escaped = !text.empty() && text.front() == '\\';
  if (escaped) text.remove_prefix(1);
  if (text.size() < 67 || text.substr(64, 2) != "  ") fail(line, "not a sha256sum line");
  std::string hash(text.substr(0, 64));
  for (const char c : hash)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) fail(line, "not a lowercase hex SHA-256");
  std::string name;
  const std::string_view raw = text.substr(66);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!escaped || raw[i] != '\\') {
      name.push_back(raw[i]);
    } else if (i + 1 < raw.size() && (raw[i + 1] == '\\' || raw[i + 1] == 'n')) {
      name.push_back(raw[++i] == 'n' ? '\n' : '\\');
    } else {
      fail(line, "bad escape in a sha256sum line");
    }
  }
  return {std::move(name), std::move(hash)};
}

}  // namespace

std::string format_manifest(const Manifest &manifest) {
  std::string text(kHeader);
  text += std::string(kEntryPrefix) + "set " + (manifest.private_set ? "private" : "source-modes") + "\n";
  for (const auto &entry : manifest.entries) {
    static constexpr std::array<const char *, 3> kTypes = {"d", "f", "l"};
    char mode[8];
    const auto end = std::to_chars(mode, mode + sizeof mode, entry.mode, 8).ptr;
    std::string padded_mode(mode, end);
    padded_mode.insert(0, padded_mode.size() < 4 ? 4 - padded_mode.size() : 0, '0');
    text += std::string(kEntryPrefix) + kTypes[static_cast<std::size_t>(entry.type)] + " " + padded_mode + " " +
            std::to_string(entry.size) + " " + escape_field(entry.path);
    if (entry.type == EntryType::kSymlink) text += " " + escape_field(entry.link_target);
    text += "\n";
  }
  for (const auto &entry : manifest.entries)
    if (entry.type == EntryType::kFile) text += checksum_line(entry);
  text += std::string(kEndPrefix) + std::to_string(manifest.entries.size()) + " entries\n";
  return text;
}

Manifest parse_manifest(std::string_view text) {
  Manifest manifest;
  bool saw_set = false;
  bool saw_end = false;
  std::map<std::string, std::string> checksums;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) fail(line_number, "the last line has no newline (truncated?)");
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    if (saw_end) fail(line_number, "text after the end line");
    if (line.starts_with(kEntryPrefix)) {
      const std::string_view body = line.substr(kEntryPrefix.size());
      if (body.starts_with("set ")) {
        const auto kind = body.substr(4);
        if (kind != "private" && kind != "source-modes") fail(line_number, "unknown set kind");
        manifest.private_set = kind == "private";
        saw_set = true;
      } else {
        manifest.entries.push_back(parse_entry(body, line_number));
      }
    } else if (line.starts_with(kEndPrefix)) {
      const auto fields = split_spaces(line.substr(kEndPrefix.size()));
      if (fields.size() != 2 || fields[1] != "entries") fail(line_number, "bad end line");
      if (parse_number<std::size_t>(fields[0], 10, line_number, "count") != manifest.entries.size())
        fail(line_number, "the end line counts a different number of entries");
      saw_end = true;
    } else if (line.starts_with("#")) {
      continue;  // commentary for people
    } else {
      auto [name, hash] = parse_checksum(line, line_number);
      if (!checksums.emplace(std::move(name), std::move(hash)).second) fail(line_number, "file listed twice");
    }
  }
  if (!saw_set) fail(line_number, "no \"#: set\" line");
  if (!saw_end) fail(line_number, "no end line (truncated?)");
  if (manifest.entries.empty() || manifest.entries.front().path != "." ||
      manifest.entries.front().type != EntryType::kDirectory)
    throw ManifestError(std::string(kManifestName) + ": the first entry must be the directory \".\"");
  std::set<std::string_view> paths;
  for (const auto &entry : manifest.entries)
    if (!paths.insert(entry.path).second)
      throw ManifestError(std::string(kManifestName) + ": " + entry.path + " is listed twice");
  for (auto &entry : manifest.entries) {
    if (entry.type != EntryType::kFile) continue;
    const auto found = checksums.find(entry.path);
    if (found == checksums.end()) throw ManifestError(std::string(kManifestName) + ": no checksum for " + entry.path);
    entry.sha256 = std::move(found->second);
    checksums.erase(found);
  }
  if (!checksums.empty())
    throw ManifestError(std::string(kManifestName) + ": checksum for an unlisted file " + checksums.begin()->first);
  return manifest;
}

void write_manifest(FileSystem &fs, const std::filesystem::path &set, const Manifest &manifest) {
  const std::string text = format_manifest(manifest);
  PartialFile file(fs, set / kManifestName);
  write_all(fs, file.fd(), std::as_bytes(std::span(text)), file.partial_path());
  file.commit(0600);
  sync_directory(fs, set);
}

std::optional<Manifest> read_manifest(FileSystem &fs, const std::filesystem::path &set) {
  const auto path = set / kManifestName;
  if (!exists(fs, path)) return std::nullopt;
  OpenFile file(fs, path, O_RDONLY | O_NOFOLLOW);
  std::string text;
  std::array<std::byte, 64 * 1024> block;
  for (;;) {
    const std::size_t n = read_full(fs, file.fd(), block, path);
    if (n == 0) break;
    text.append(reinterpret_cast<const char *>(block.data()), n);
  }
  return parse_manifest(text);
}

}  // namespace kuphost_plugins::etcd_backup
