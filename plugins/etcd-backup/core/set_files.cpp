#include "set_files.h"

#include <archive_entry.h>

#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "archive/backup_archive.h"
#include "archive/archive_input.h"
#include "backup_set/manifest.h"
#include "backup_set/sha256.h"

namespace kuphost_plugins::etcd_backup {
namespace {

constexpr std::string_view kFilesPrefix = "files/";

std::string hash_of(const std::string &data) {
  Sha256 sha;
  sha.update(std::as_bytes(std::span(data.data(), data.size())));
  return sha.finish_hex();
}

// Keeps the manifest's files under files/ whose bytes `content` knows,
// each checked against its recorded hash.
std::map<std::string, std::string> checked(const std::string &set_path, const Manifest &manifest,
                                           std::map<std::string, std::string> content) {
  std::map<std::string, std::string> out;
  for (const auto &entry : manifest.entries) {
    if (entry.type != EntryType::kFile || entry.path.rfind(kFilesPrefix, 0) != 0) continue;
    auto it = content.find(entry.path);
    if (it == content.end()) throw std::runtime_error(set_path + ": " + entry.path + " is missing from the set");
    if (hash_of(it->second) != entry.sha256)
      throw std::runtime_error(set_path + ": " + entry.path + " does not match the set's manifest");
    out["/" + entry.path.substr(kFilesPrefix.size())] = std::move(it->second);
  }
  return out;
}

std::string read_all(ArchiveInput &input) {
  std::string data;
  std::vector<std::byte> buffer(64 * 1024);
  while (const std::size_t n = input.read_data(buffer)) data.append(reinterpret_cast<const char *>(buffer.data()), n);
  return data;
}

}  // namespace

std::map<std::string, std::string> read_set_files(const PathResolver &resolve, const BackupEntry &set,
                                                  const std::string &key_file_node) {
  if (!set.complete) throw std::runtime_error(set.node_path + " is incomplete (no manifest)");
  std::map<std::string, std::string> content;
  if (!set.packed) {
    const auto dir = resolve(set.node_path);
    const auto manifest = read_manifest(real_file_system(), dir);
    if (!manifest) throw std::runtime_error(set.node_path + " has no manifest");
    for (const auto &entry : manifest->entries)
      if (entry.type == EntryType::kFile && entry.path.rfind(kFilesPrefix, 0) == 0)
        if (auto data = read_whole_file(dir / entry.path)) content[entry.path] = std::move(*data);
    return checked(set.node_path, *manifest, std::move(content));
  }
  std::optional<EncryptionKey> key;
  if (!key_file_node.empty()) key = load_encryption_key(resolve(key_file_node));
  ArchiveInput input(resolve(set.node_path), key, real_file_system());
  std::optional<Manifest> manifest;
  while (archive_entry *entry = input.next_entry()) {
    const std::string name = archive_entry_pathname(entry);
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    if (name == kManifestName) manifest = parse_manifest(read_all(input));
    else if (name.rfind(kFilesPrefix, 0) == 0) content[name] = read_all(input);
  }
  if (!manifest) throw std::runtime_error(set.node_path + " has no manifest");
  return checked(set.node_path, *manifest, std::move(content));
}

}  // namespace kuphost_plugins::etcd_backup
