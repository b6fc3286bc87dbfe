/*===- kuphost/ext/backup_set.h - kuphost.backup-set/1 ---------------------===*
 *
 * A plugin extension: the backup set this run made of the node's
 * control-plane state, so that other plugins keep their "before" copies in
 * one place and restore from it. Published by the etcd-backup plugin; found
 * with kup_host.find_extension(KUP_EXT_BACKUP_SET_V1). The certs plugin uses
 * it: when the set already holds the exact bytes of every file it is about to
 * replace, that set is its backup, and its rollback reads them back.
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
} kup_backup_set;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KUPHOST_EXT_BACKUP_SET_H */
