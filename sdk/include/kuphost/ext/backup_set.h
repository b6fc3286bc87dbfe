/*===- kuphost/ext/backup_set.h - kuphost.backup-set/1 ---------------------===*
 *
 * A plugin extension: the backup set this run made of the node's
 * control-plane state, so that other plugins keep their "before" copies in
 * one place and restore from it. Published by the etcd-backup plugin; found
 * with kup_host.find_extension(KUP_EXT_BACKUP_SET_V1). The certs plugin uses
 * it: when the set already holds the exact bytes of every file it is about to
 * replace, that set is its backup, and its rollback reads them back. The
 * cni-calico plugin adds its own files (the Calico objects it replaces) with
 * attach_file and reads them back with read_attached.
 *
 * Paths are node paths ("/etc/kubernetes/pki/apiserver.crt"). All functions
 * run on the host's main thread during a phase or command call; the table is
 * owned by the providing plugin (see kup_host.find_extension for its
 * lifetime).
 *===----------------------------------------------------------------------===*/
#ifndef KUPHOST_EXT_BACKUP_SET_H
#define KUPHOST_EXT_BACKUP_SET_H

#include "../kuphost.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KUP_EXT_BACKUP_SET_V1 "kuphost.backup-set/1"

typedef struct kup_backup_set {
  uint32_t struct_size;
  void *plugin_ctx;

  /* Writes where this run's complete backup set is, as a node path (a
   * directory, or an archive file), e.g.
   * "/var/lib/kuphost/etcd-backups/kuphost-backup-2026-11-27T07-10-00". Only a
   * set whose manifest was written counts. KUP_E_NOT_FOUND when this run has
   * made none (the provider's phase has not run, or ran in dry-run).
   * Read-only. */
  kup_status(KUP_ABI *current)(const struct kup_backup_set *self, const kup_sink *out,
                               const kup_error *error);

  /* Writes the bytes of node file `path` as this run's set holds them, after
   * checking them against the set's manifest. KUP_E_NOT_FOUND when the set
   * does not hold that file (or there is no set); KUP_E_IO with a message
   * naming the file when the copy does not match the manifest or cannot be
   * read (a wrong encryption key, a damaged archive). The provider may read
   * an archive once and keep the small files it needs in memory for later
   * calls in the same run. Read-only. */
  kup_status(KUP_ABI *read_file)(const struct kup_backup_set *self, kup_str path,
                                 const kup_sink *out, const kup_error *error);

  /* ---- optional, after KUP_BACKUP_SET_MIN_SIZE (ABI 1.1, amended): check
   * struct_size (kup::detail::has_field) and NULL before calling ---- */

  /* Adds `len` bytes as file `name` of plugin `plugin_id` to this run's set,
   * so that `kuphost backup verify` checks them, `backup list` shows them and
   * retention removes them with the set. The set's own manifest stays as it
   * was sealed: attached files live beside it, in "<set>.attached/<plugin
   * id>/<name>" (for a directory and an archive alike), listed in that
   * directory's own MANIFEST.sha256, which is rewritten atomically (fsync,
   * rename) after each file is durable. When the set is encrypted, the file
   * is encrypted with the set's key and stored as "<name>.kenc".
   *
   * `plugin_id` and every '/'-separated part of `name` are [A-Za-z0-9._-]+,
   * not "." or "..". `mode` is the mode the bytes had (recorded, as the set
   * records its files' modes; stored 0600). Attaching a name again replaces
   * it (an idempotent apply that runs again). Writes the stored file's node
   * path to `out_path` (may be NULL). KUP_E_NOT_FOUND when this run made no
   * set; KUP_E_INVALID_ARGUMENT for a bad name; KUP_E_IO when it cannot be
   * written (nothing of the set's own changes either way). Writes the node;
   * the provider never has a set in dry-run, so this is not called then. */
  kup_status(KUP_ABI *attach_file)(const struct kup_backup_set *self, kup_str plugin_id, kup_str name,
                                   const void *bytes, size_t len, uint32_t mode, const kup_sink *out_path,
                                   const kup_error *error);

  /* Writes the bytes attach_file stored as `name` of `plugin_id` in this
   * run's set, after checking them against the attached files' manifest (and,
   * encrypted, decrypting them with the set's key). KUP_E_NOT_FOUND when no
   * such file was attached (or there is no set); KUP_E_IO naming the file
   * when it does not match or cannot be read. Read-only. */
  kup_status(KUP_ABI *read_attached)(const struct kup_backup_set *self, kup_str plugin_id, kup_str name,
                                     const kup_sink *out, const kup_error *error);
} kup_backup_set;

/* current and read_file are required; attach_file and read_attached are
 * optional (a provider built against the first version of this header ends
 * its table after read_file). */
#define KUP_BACKUP_SET_MIN_SIZE (offsetof(kup_backup_set, read_file) + sizeof(void (*)(void)))

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KUPHOST_EXT_BACKUP_SET_H */
