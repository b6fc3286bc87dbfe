/* A plugin whose descriptor is exactly ABI 1.0's kup_plugin: struct_size
 * ends at get_extension. The fields after it (ABI 1.1's commands) hold
 * garbage here, as memory past a 1.0 plugin's struct would: the host must
 * not read them, so the plugin loads with no commands. */
#include <stddef.h>

#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("abi-1-0-size", "1.0.0");

static kup_status KUP_ABI work_apply(void *ctx, const kup_phase_call *call) {
  (void)ctx;
  call->out->write(call->out, "1.0 plugin applied\n", 19);
  return KUP_OK;
}

static const kup_phase_desc phase = {
    sizeof(kup_phase_desc), {"work", 4}, {"Work", 4}, {"", 0}, KUP_STAGE_PREFLIGHT, 0, NULL, 0, NULL, 0,
    0, 0, 0, {NULL, 0}, 0, NULL, work_apply, NULL, NULL};
static const kup_phase_desc *const phases[] = {&phase};

static const kup_plugin plugin = {
    offsetof(kup_plugin, get_extension) + sizeof(void *), 1, 0,
    {"abi-1-0-size", 12}, {"1.0.0", 5}, {"Sized for ABI 1.0", 17}, NULL, 0, phases, 1, NULL, 0, NULL, 0,
    NULL, NULL, NULL,
    (const kup_command_desc *const *)(const void *)&phase, /* garbage past struct_size */
    7};

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return &plugin;
}
