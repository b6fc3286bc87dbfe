// The "before" copies of the files a renewal replaces, and putting them back
// byte for byte (the renewal phase's rollback). The copies live either in
// the run's backup set (kuphost.backup-set/1, when etcd-backup made one that
// already holds these exact bytes) or in a directory of their own,
// /etc/kubernetes/tmp/kuphost-backup-pki-<timestamp>/<node path>, beside
// kubeadm's own backups, with a MANIFEST of mode, SHA-256 and path.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node_files.h"

#include "support/sha256.hpp"

namespace kuphost_plugins::certs {

struct BackedUpFile {
  std::string node_path;
  uint32_t mode = 0;
  std::string sha256_hex;
};

inline constexpr const char *kPkiBackupParent = "/etc/kubernetes/tmp";

// "kuphost-backup-pki-2026-11-27-07-10-00" (kubeadm's timestamp layout).
std::string pki_backup_name(int64_t now_unix);

// The current mode and hash of each file. Throws when one is missing.
std::vector<BackedUpFile> describe_files(NodeFiles &files, const std::vector<std::string> &paths);

// Lines "0600 <sha256> /etc/kubernetes/pki/apiserver.key", and back.
std::string backup_manifest(const std::vector<BackedUpFile> &records);
std::vector<BackedUpFile> parse_backup_manifest(std::string_view text);

// Copies the files into `dir` (0700) with their modes, then writes
// dir/MANIFEST last. Returns the records.
std::vector<BackedUpFile> write_pki_backup(NodeFiles &files, const std::string &dir,
                                           const std::vector<std::string> &paths);

// The backed-up bytes of a node path; nullopt when the backup lacks it.
using BackupReader = std::function<std::optional<std::string>(const std::string &node_path)>;
BackupReader directory_backup_reader(NodeFiles &files, const std::string &dir);

// Puts every recorded file back as recorded. Reads and checks all copies
// first (a missing or changed copy throws, naming it, before anything is
// written); files that already hold the recorded bytes are left alone.
// Returns the paths it rewrote.
std::vector<std::string> restore_pki_backup(NodeFiles &files, const std::vector<BackedUpFile> &records,
                                            const BackupReader &backup);

using kuphost_plugins::sha256_hex;  // support/sha256.hpp

}  // namespace kuphost_plugins::certs
