/*===- kuphost/ext/package_manager.h - kuphost.package-manager/1 -----------===*
 *
 * A plugin extension: the distro's package manager as the kubeadm workflow
 * needs it. Published by the apt and yum plugins; found by consumers with
 * kup_host.find_extension(KUP_EXT_PACKAGE_MANAGER_V1). The host returns the
 * provider that applies to the node's distro family.
 *
 * Versions on this interface are package versions as the distro spells them
 * ("1.31.2-1.1" for deb, "1.31.2-150500.1.1" for rpm). All functions run on
 * the host's main thread during a phase call; the table is owned by the
 * providing plugin (see kup_host.find_extension for its lifetime).
 *===----------------------------------------------------------------------===*/
#ifndef KUPHOST_EXT_PACKAGE_MANAGER_H
#define KUPHOST_EXT_PACKAGE_MANAGER_H

#include "../kuphost.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KUP_EXT_PACKAGE_MANAGER_V1 "kuphost.package-manager/1"

/* One package at one exact version. Borrowed for the call. */
typedef struct kup_package_pin {
  kup_str name;    /* "kubeadm" */
  kup_str version; /* "1.31.2-1.1" */
} kup_package_pin;

typedef struct kup_package_manager {
  uint32_t struct_size;
  void *plugin_ctx;
  kup_str manager; /* "apt", "dnf", "yum"; valid as long as the table */

  /* Writes the versions of `package` the configured repositories offer,
   * newest first, one per line: "<package version>\n". Read-only. */
  kup_status(KUP_ABI *available_versions)(const struct kup_package_manager *self,
                                          kup_str package, const kup_sink *out,
                                          const kup_error *error);
  /* Writes the installed version; KUP_E_NOT_FOUND when not installed. */
  kup_status(KUP_ABI *installed_version)(const struct kup_package_manager *self,
                                         kup_str package, const kup_sink *out,
                                         const kup_error *error);
  /* Installs exact versions in one transaction, then restores holds on
   * every package that was held. Idempotent. */
  kup_status(KUP_ABI *install)(const struct kup_package_manager *self,
                               const kup_package_pin *pins, size_t pin_count,
                               const kup_error *error);
  kup_status(KUP_ABI *hold)(const struct kup_package_manager *self, const kup_str *packages,
                            size_t package_count, const kup_error *error);
  kup_status(KUP_ABI *unhold)(const struct kup_package_manager *self, const kup_str *packages,
                              size_t package_count, const kup_error *error);
  /* Points the Kubernetes repository at a minor ("v1.31") after backing the
   * repository file up, and refreshes the package index. Idempotent. */
  kup_status(KUP_ABI *switch_repository)(const struct kup_package_manager *self, kup_str minor,
                                         const kup_error *error);
  /* Writes what installing `pins` would change, one package per line:
   * "<name> <installed version, or - when not installed> <new version>\n".
   * Read-only. */
  kup_status(KUP_ABI *preview)(const struct kup_package_manager *self,
                               const kup_package_pin *pins, size_t pin_count,
                               const kup_sink *out, const kup_error *error);

  /* ---- added in ABI 1.0 before its release; NULL = not supported ---- */

  /* Writes the versions of `package` that the repository of another
   * Kubernetes minor (`minor` = "v1.31") offers, newest first, one per line
   * like available_versions. pkgs.k8s.io serves one repository per minor, so
   * the provider derives that repository from the node's configured one
   * (the "/v1.MM/" path segment replaced) and asks the package manager
   * about it privately. Read-only: the node's repository configuration and
   * package index stay as they are, in plan and dry-run too. Temporary
   * files go only under the directory named by the fact run.scratch-dir,
   * which the host creates before the call, lets the provider write in every
   * mode and removes afterwards; without that fact the call fails with
   * KUP_E_UNSUPPORTED. KUP_E_NOT_FOUND (or an empty answer) when that
   * minor's repository does not exist or offers no such package. */
  kup_status(KUP_ABI *available_versions_in_minor)(const struct kup_package_manager *self,
                                                   kup_str package, kup_str minor,
                                                   const kup_sink *out, const kup_error *error);
} kup_package_manager;

/* The fields every provider fills (through preview); a reader copies
 * min(struct_size, what it knows) and treats later fields as NULL. */
#define KUP_PACKAGE_MANAGER_MIN_SIZE (offsetof(kup_package_manager, preview) + sizeof(void (*)(void)))

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KUPHOST_EXT_PACKAGE_MANAGER_H */
