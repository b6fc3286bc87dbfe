/* A plugin written in C99 against kuphost.h alone: the C ABI is usable
 * without the C++ layer. Logs through kuphost.log/1 and reports a step. */
#include <string.h>

#include <kuphost/kuphost.h>

KUPHOST_MANIFEST("c-plugin", "1.0.0");

static const kup_host *g_host;

static kup_str str(const char *s) {
  kup_str v;
  v.ptr = s;
  v.len = strlen(s);
  return v;
}

static kup_status KUP_ABI c_init(const kup_host *host, void **ctx, const kup_error *error) {
  (void)error;
  g_host = host;
  *ctx = (void *)&g_host;
  return KUP_OK;
}

static kup_status KUP_ABI hello_apply(void *ctx, const kup_phase_call *call) {
  const kup_log_service *log;
  (void)ctx;
  log = (const kup_log_service *)g_host->get_service(g_host, str(KUP_SERVICE_LOG_V1));
  if (log) log->write(log, KUP_LOG_INFO, str("hello from C"));
  call->out->write(call->out, "said hello in C\n", 16);
  return KUP_OK;
}

static const kup_phase_desc hello = {
    sizeof(kup_phase_desc), {"hello", 5}, {"Say hello", 9}, {"Proves the C ABI works", 22},
    KUP_STAGE_PREFLIGHT, 0, NULL, 0, NULL, 0, 0, 0, 0, {NULL, 0}, KUP_PHASE_READ_ONLY,
    NULL, hello_apply, NULL, NULL};
static const kup_phase_desc *const phases[] = {&hello};

static const kup_plugin plugin = {
    sizeof(kup_plugin), KUPHOST_ABI_MAJOR, KUPHOST_ABI_MINOR, {"c-plugin", 8}, {"1.0.0", 5},
    {"A plugin in plain C", 19}, NULL, 0, phases, 1, NULL, 0, NULL, 0, c_init, NULL, NULL, NULL, 0};

KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor) {
  (void)host_abi_minor;
  return &plugin;
}
