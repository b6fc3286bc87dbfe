#include "attached_files.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <span>

#include "archive/encrypted_stream.h"
#include "archive/encryption_key.h"
#include "backup_set/io.h"
#include "backup_set/manifest.h"
#include "backup_set/sha256.h"
#include "backup_set/verify_set.h"
#include "node_paths.h"

namespace kuphost_plugins::etcd_backup {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kEncryptedSuffix = ".kenc";

bool encrypted(const BackupEntry &set) { return set.node_path.ends_with(kEncryptedSuffix); }

bool safe_part(std::string_view part) {
  if (part.empty() || part == "." || part == "..") return false;
  for (const char c : part)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

// "<plugin>/<name>[.kenc]", the path inside <set>.attached.
std::string stored_path(const BackupEntry &set, std::string_view plugin, std::string_view name) {
  if (!safe_part(plugin))
    throw std::invalid_argument("attached file: plugin id '" + std::string(plugin) + "' is not [A-Za-z0-9._-]+");
  for (std::size_t from = 0;;) {
    const std::size_t slash = name.find('/', from);
    if (!safe_part(name.substr(from, slash == std::string_view::npos ? slash : slash - from)))
      throw std::invalid_argument("attached file: name '" + std::string(name) +
                                  "' must be '/'-separated parts of [A-Za-z0-9._-]+, none '.' or '..'");
    if (slash == std::string_view::npos) break;
    from = slash + 1;
  }
  return std::string(plugin) + "/" + std::string(name) + (encrypted(set) ? std::string(kEncryptedSuffix) : "");
}

std::string hash_of(std::string_view data) {
  Sha256 sha;
  sha.update(std::as_bytes(std::span(data.data(), data.size())));
  return sha.finish_hex();
}

EncryptionKey key_of(const PathResolver &resolve, const BackupEntry &set, const std::string &key_file_node) {
  if (key_file_node.empty())
    throw std::runtime_error(set.node_path + " is encrypted and etcd-backup.encryption-key-file is not set");
  return load_encryption_key(resolve(key_file_node));
}

std::string encrypt(const EncryptionKey &key, std::string_view plain) {
  std::string sealed;
  EncryptingWriter writer(key, [&](std::span<const std::byte> chunk) {
    sealed.append(reinterpret_cast<const char *>(chunk.data()), chunk.size());
  });
  writer.write(std::as_bytes(std::span(plain.data(), plain.size())));
  writer.finish();
  return sealed;
}

std::string decrypt(const EncryptionKey &key, std::string_view sealed, const std::string &name) {
  std::size_t at = 0;
  DecryptingReader reader(
      key,
      [&](std::span<std::byte> buffer) {
        const std::size_t n = std::min(buffer.size(), sealed.size() - at);
        std::memcpy(buffer.data(), sealed.data() + at, n);
        at += n;
        return n;
      },
      name);
  std::string plain;
  for (auto chunk = reader.next(); !chunk.empty(); chunk = reader.next())
    plain.append(reinterpret_cast<const char *>(chunk.data()), chunk.size());
  return plain;
}

void make_private_dir(FileSystem &files, const fs::path &dir) {
  if (files.mkdir(dir, 0700) != 0 && errno != EEXIST) throw_errno(errno, "cannot create", dir);
}

const Entry *find_entry(const Manifest &manifest, const std::string &path) {
  for (const auto &entry : manifest.entries)
    if (entry.path == path) return &entry;
  return nullptr;
}

}  // namespace

std::string attached_dir_of(const std::string &set_node_path) { return set_node_path + std::string(kAttachedSuffix); }

std::string attach_to_set(const PathResolver &resolve, const BackupEntry &set, const std::string &key_file_node,
                          std::string_view plugin, std::string_view name, std::string_view bytes, mode_t mode) {
  const std::string relative = stored_path(set, plugin, name);
  if (!set.complete) throw std::runtime_error(set.node_path + " is incomplete (no manifest)");
  const std::string stored = encrypted(set) ? encrypt(key_of(resolve, set, key_file_node), bytes) : std::string(bytes);
  FileSystem &files = real_file_system();
  const std::string dir_node = attached_dir_of(set.node_path);
  const fs::path dir = resolve(dir_node);
  make_private_dir(files, dir);
  Manifest manifest = read_manifest(files, dir).value_or(Manifest{true, {Entry{".", EntryType::kDirectory, 0, 0700, "", ""}}});
  // Parents first, as in every manifest.
  for (std::size_t slash = relative.find('/'); slash != std::string::npos; slash = relative.find('/', slash + 1)) {
    const std::string parent = relative.substr(0, slash);
    make_private_dir(files, dir / parent);
    if (!find_entry(manifest, parent)) manifest.entries.push_back(Entry{parent, EntryType::kDirectory, 0, 0700, "", ""});
  }
  {
    PartialFile file(files, dir / relative);
    write_all(files, file.fd(), std::as_bytes(std::span(stored.data(), stored.size())), file.partial_path());
    file.commit(0600);
    sync_directory(files, (dir / relative).parent_path());
  }
  const Entry entry{relative, EntryType::kFile, stored.size(), mode & 07777, hash_of(stored), ""};
  bool replaced = false;
  for (auto &existing : manifest.entries)
    if (existing.path == relative) existing = entry, replaced = true;
  if (!replaced) manifest.entries.push_back(entry);
  write_manifest(files, dir, manifest);  // last: only now is the file part of the set
  return join_node_path(dir_node, relative);
}

std::string read_attached_file(const PathResolver &resolve, const BackupEntry &set, const std::string &key_file_node,
                               std::string_view plugin, std::string_view name) {
  const std::string relative = stored_path(set, plugin, name);
  const std::string dir_node = attached_dir_of(set.node_path);
  const fs::path dir = resolve(dir_node);
  const auto manifest = read_manifest(real_file_system(), dir);
  if (!manifest) throw AttachedNotFound("nothing is attached to " + set.node_path);
  const Entry *entry = find_entry(*manifest, relative);
  const std::string node_path = join_node_path(dir_node, relative);
  if (!entry || entry->type != EntryType::kFile) throw AttachedNotFound(node_path + " was never attached");
  const auto stored = read_whole_file(dir / relative);
  if (!stored) throw std::runtime_error("cannot read " + node_path);
  if (stored->size() != entry->size || hash_of(*stored) != entry->sha256)
    throw std::runtime_error(node_path + " does not match its SHA-256 in " + dir_node + "/" +
                             std::string(kManifestName));
  if (!encrypted(set)) return *stored;
  return decrypt(key_of(resolve, set, key_file_node), *stored, node_path);
}

std::vector<std::string> attached_names(const PathResolver &resolve, const std::string &set_node_path) {
  std::vector<std::string> names;
  try {
    if (const auto manifest = read_manifest(real_file_system(), resolve(attached_dir_of(set_node_path))))
      for (const auto &entry : manifest->entries)
        if (entry.type == EntryType::kFile)
          names.push_back(entry.path.ends_with(kEncryptedSuffix)
                              ? entry.path.substr(0, entry.path.size() - kEncryptedSuffix.size())
                              : entry.path);
  } catch (const std::exception &) {
    // A damaged manifest: `backup verify` names it.
  }
  return names;
}

std::vector<std::string> verify_attached(const PathResolver &resolve, const BackupEntry &set,
                                         const std::string &key_file_node, std::size_t *entries) {
  const std::string dir_node = attached_dir_of(set.node_path);
  const fs::path dir = resolve(dir_node);
  std::vector<std::string> problems;
  if (!exists(real_file_system(), dir)) return problems;
  try {
    const VerifyReport report = verify_set(dir);
    for (const auto &p : report.problems) problems.push_back(dir_node + ": " + describe(p));
    if (!report.ok()) return problems;
    const auto manifest = read_manifest(real_file_system(), dir);
    if (entries) *entries += manifest->entries.size();
    if (!encrypted(set)) return problems;
    const EncryptionKey key = key_of(resolve, set, key_file_node);
    for (const auto &entry : manifest->entries) {
      if (entry.type != EntryType::kFile) continue;
      const std::string node_path = join_node_path(dir_node, entry.path);
      if (!entry.path.ends_with(kEncryptedSuffix)) {
        problems.push_back(node_path + ": not encrypted, although its set is");
        continue;
      }
      try {
        decrypt(key, read_whole_file(dir / entry.path).value_or(""), node_path);
      } catch (const std::exception &e) {
        problems.push_back(e.what());
      }
    }
  } catch (const std::exception &e) {
    problems.push_back(dir_node + ": " + e.what());
  }
  return problems;
}

}  // namespace kuphost_plugins::etcd_backup
