#include "set_packing.h"

#include <optional>
#include <system_error>

#include "archive/backup_archive.h"

namespace kuphost_plugins::etcd_backup {
namespace {

std::optional<EncryptionKey> key_from(const PathResolver &resolve, const std::string &key_file_node) {
  if (key_file_node.empty()) return std::nullopt;
  return load_encryption_key(resolve(key_file_node));
}

}  // namespace

void check_key_file(const PathResolver &resolve, const std::string &key_file_node) {
  (void)key_from(resolve, key_file_node);
}

std::string pack_finished_set(const PathResolver &resolve, const std::string &set_node, const PackSettings &settings) {
  const ArchiveFormat format =
      settings.archive == "none" ? ArchiveFormat::kTarZstd : *parse_archive_format(settings.archive);
  const auto key = key_from(resolve, settings.key_file);
  const std::string archive_node = set_node + archive_suffix(format, key.has_value());
  pack_set(resolve(set_node), resolve(archive_node), format, key);
  const VerifyReport report = verify_archive(resolve(archive_node), key);
  if (!report.ok()) {
    std::error_code ignored;
    std::filesystem::remove(resolve(archive_node), ignored);
    throw ArchiveError(archive_node + " does not verify after packing (" + describe(report.problems.front()) +
                       "); the set directory " + set_node + " is kept");
  }
  std::filesystem::remove_all(resolve(set_node));
  return archive_node;
}

VerifyReport verify_packed_set(const PathResolver &resolve, const std::string &archive_node,
                               const std::string &key_file_node) {
  return verify_archive(resolve(archive_node), key_from(resolve, key_file_node));
}

void unpack_set_to(const PathResolver &resolve, const std::string &archive_node, const std::string &key_file_node,
                   const std::filesystem::path &to_host) {
  unpack_set(resolve(archive_node), to_host, key_from(resolve, key_file_node));
}

}  // namespace kuphost_plugins::etcd_backup
