/* A plugin built when the ABI structs were smaller: its descriptors stop at
 * the last required field (KUP_PLUGIN_MIN_SIZE, KUP_PHASE_DESC_MIN_SIZE).
 * The host must zero-fill the rest: no init, no verify/rollback, no keys. */
#include <stddef.h>

#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("old-abi", "0.9.0");

/* The prefix of kup_phase_desc up to `apply`, laid out the same way. */
typedef struct old_phase_desc {
  uint32_t struct_size;
  kup_str id, title, description;
  uint32_t stage;
  int32_t order;
  const kup_str *after;
  uint32_t after_count;
  const kup_str *before;
  uint32_t before_count;
  uint32_t distro_families, roles, etcd_topologies;
  kup_str requires_extension;
  uint32_t flags;
  kup_phase_fn plan;
  kup_phase_fn apply;
} old_phase_desc;

/* The prefix of kup_plugin up to `phase_count`. */
typedef struct old_plugin {
  uint32_t struct_size;
  uint16_t abi_major, abi_minor;
  kup_str id, version, description;
  const kup_str *aliases;
  uint32_t alias_count;
  const old_phase_desc *const *phases;
  uint32_t phase_count;
} old_plugin;

static kup_status KUP_ABI old_apply(void *ctx, const kup_phase_call *call) {
  (void)ctx;
  call->out->write(call->out, "old plugin applied\n", 19);
  return KUP_OK;
}

static const old_phase_desc phase = {
    offsetof(old_phase_desc, apply) + sizeof(kup_phase_fn), {"work", 4}, {"Old work", 8}, {"", 0},
    KUP_STAGE_BACKUP, 0, NULL, 0, NULL, 0, 0, 0, 0, {NULL, 0}, 0, NULL, old_apply};
static const old_phase_desc *const phases[] = {&phase};

static const old_plugin plugin = {offsetof(old_plugin, phase_count) + sizeof(uint32_t),
                                  1, 0, {"old-abi", 7}, {"0.9.0", 5}, {"Built with smaller structs", 26},
                                  NULL, 0, phases, 1};

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return (const kup_plugin *)(const void *)&plugin;
}
