//===- core/attached_files.h - other plugins' files, kept with a finished set
//
// kuphost.backup-set/1's attach_file: a plugin (cni-calico: the objects it
// replaces) adds files to this run's set after the set was sealed. The set
// itself is never touched (its MANIFEST.sha256 stays valid, an archive stays
// byte for byte what was verified); the files go beside it:
//
//   <set>.attached/                 0700, for a directory and an archive set
//     MANIFEST.sha256               the set manifest format (backup_set/manifest.h)
//     <plugin>/<name>[.kenc]        0600; ".kenc" when the set is encrypted
//
// Each file is written under a partial name, fsynced and renamed, then the
// manifest is rewritten the same way, so a crash leaves the previous
// manifest (and at worst one file it does not list). verify_set checks the
// directory as it checks a set; `sha256sum -c MANIFEST.sha256` works inside
// it. An encrypted set's attached files are encrypted with the set's key
// (archive/encrypted_stream.h): the manifest hashes the stored bytes, the
// GCM tags authenticate the plaintext.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ATTACHED_FILES_H
#define KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ATTACHED_FILES_H

#include <sys/types.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "backup_catalog.h"

namespace kuphost_plugins::etcd_backup {

inline constexpr std::string_view kAttachedSuffix = ".attached";

// "<set node path>.attached".
std::string attached_dir_of(const std::string &set_node_path);

// Bad plugin id or name (std::invalid_argument), and a file that was never
// attached (AttachedNotFound); other failures are std::runtime_error.
class AttachedNotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Stores `bytes` as <plugin>/<name> beside the complete set `set` and
// returns the stored file's node path. `mode` is recorded as the file's
// source mode. `key_file_node` is needed when the set is encrypted.
std::string attach_to_set(const PathResolver &resolve, const BackupEntry &set, const std::string &key_file_node,
                          std::string_view plugin, std::string_view name, std::string_view bytes, mode_t mode);

// The bytes attach_to_set stored, checked against the manifest (and
// decrypted). Throws AttachedNotFound, or std::runtime_error naming the file.
std::string read_attached_file(const PathResolver &resolve, const BackupEntry &set, const std::string &key_file_node,
                               std::string_view plugin, std::string_view name);

// "<plugin>/<name>" of every attached file, in the order they were first
// attached; empty when none (or the manifest is missing or damaged: verify
// says so).
std::vector<std::string> attached_names(const PathResolver &resolve, const std::string &set_node_path);

// The problems of <set>.attached as lines ("<node path>: <what>"); none when
// nothing is attached. Encrypted files are also decrypted (when the key file
// is given). Adds the entries checked to *entries.
std::vector<std::string> verify_attached(const PathResolver &resolve, const BackupEntry &set,
                                         const std::string &key_file_node, std::size_t *entries);

}  // namespace kuphost_plugins::etcd_backup

#endif  // KUPHOST_PLUGINS_ETCD_BACKUP_CORE_ATTACHED_FILES_H
