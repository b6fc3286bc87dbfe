/* A plugin from a future 1.x: larger descriptors with fields this host does
 * not know, and a higher minor. The host must read its known prefix and
 * ignore the rest. */
#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("future-abi", "3.0.0");

typedef struct future_phase_desc {
  kup_phase_desc known;
  uint64_t future_timeout_ms;
  kup_phase_fn future_hook;
} future_phase_desc;

typedef struct future_plugin {
  kup_plugin known;
  kup_str future_homepage;
  uint64_t future_flags;
} future_plugin;

static kup_status KUP_ABI future_apply(void *ctx, const kup_phase_call *call) {
  (void)ctx;
  call->out->write(call->out, "future plugin applied\n", 22);
  return KUP_OK;
}

static const future_phase_desc phase = {
    {sizeof(future_phase_desc), {"work", 4}, {"Future work", 11}, {"", 0}, KUP_STAGE_VERIFY, 0, NULL, 0,
     NULL, 0, 0, 0, 0, {NULL, 0}, 0, NULL, future_apply, NULL, NULL},
    12345u,
    NULL};
static const kup_phase_desc *const phases[] = {&phase.known};

static const future_plugin plugin = {
    {sizeof(future_plugin), 1, 99, {"future-abi", 10}, {"3.0.0", 5}, {"From ABI 1.99", 13}, NULL, 0, phases, 1,
     NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0},
    {"https://example.invalid", 23},
    0xffffffffffffffffull};

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return &plugin.known;
}
