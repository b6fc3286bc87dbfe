/*===- kuphost/kuphost.h - the stable C plugin ABI of kuphost, major 1 -----===*
 *
 * C99; compiles as C and as C++; depends on <stdint.h> and <stddef.h> only.
 *
 * A plugin is a shared object that exports exactly one function per ABI
 * major it supports:
 *
 *     KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_abi_minor);
 *
 * Rules that hold for every declaration below (sdk/ABI.md has the reasons):
 *  - Every struct that crosses the boundary starts with `uint32_t
 *    struct_size`. The reader copies min(struct_size, what it knows) into a
 *    zeroed struct, so older and newer 1.x code interoperate. Structs only
 *    ever grow at the end; fields are never reordered, resized or removed.
 *  - A NULL optional function pointer means "not supported".
 *  - Strings are borrowed kup_str views {ptr,len}: UTF-8, not NUL-terminated,
 *    valid only for the duration of the call that passed them, unless a
 *    comment says otherwise. Copy what you keep.
 *  - Text and bytes that a plugin hands back go into a host-owned kup_sink;
 *    the host copies them. No allocated memory ever changes owner across the
 *    boundary; nothing is freed by the other side.
 *  - No C++ type and no exception crosses the boundary.
 *  - Threads: the host calls every plugin function from its main thread, one
 *    call at a time, unless a comment says otherwise. Services marked
 *    [any-thread] may be called from any plugin thread.
 *===----------------------------------------------------------------------===*/
#ifndef KUPHOST_KUPHOST_H
#define KUPHOST_KUPHOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*---------------------------------------------------------------------------
 * Version, calling convention, export
 *---------------------------------------------------------------------------*/
#define KUPHOST_ABI_MAJOR 1
/* Bumped for every additive change; see sdk/ABI.md for the changelog. */
#define KUPHOST_ABI_MINOR 1

#if defined(_WIN32)
#define KUP_ABI __cdecl
#define KUP_EXPORT __declspec(dllexport)
#else
#define KUP_ABI
#define KUP_EXPORT __attribute__((visibility("default")))
#endif

/* The one symbol a v1 plugin exports. */
#define KUPHOST_ENTRY_V1 "kuphost_plugin_v1"

/*---------------------------------------------------------------------------
 * Status codes: 0 ok; 1..999 kuphost; >= 1000 plugin-defined.
 *---------------------------------------------------------------------------*/
typedef int32_t kup_status;

#define KUP_OK 0
#define KUP_E_INCOMPATIBLE_ABI 1      /* versions do not match; message says what to upgrade */
#define KUP_E_UNSUPPORTED 2           /* operation or field not supported by this side */
#define KUP_E_NOT_APPLICABLE 3        /* the phase has nothing to do on this node; message says why */
#define KUP_E_INVALID_ARGUMENT 4      /* a call was made with bad arguments or in the wrong context */
#define KUP_E_IO 5                    /* a file or network operation failed */
#define KUP_E_DECODE 6                /* input could not be parsed */
#define KUP_E_INVALID_CONFIG 7        /* the operator's configuration is wrong; message names the key */
#define KUP_E_COMMAND_FAILED 8        /* an external command exited non-zero */
#define KUP_E_TIMEOUT 9               /* a deadline passed */
#define KUP_E_CANCELLED 10            /* the operator interrupted the run */
#define KUP_E_RETRY_LATER 11          /* transient; the same call may succeed later */
#define KUP_E_NOT_FOUND 12            /* a looked-up key, file or version does not exist */
#define KUP_E_PREREQUISITE_MISSING 50 /* something the phase needs is absent (tool, file, plugin) */
#define KUP_E_INTERNAL 99             /* a bug; includes exceptions caught by the C++ layer */
#define KUP_E_PLUGIN_BASE 1000        /* first plugin-defined code */

/*---------------------------------------------------------------------------
 * Borrowed views and host-owned sinks
 *---------------------------------------------------------------------------*/
typedef struct kup_str {
  const char *ptr; /* may be NULL when len == 0 */
  size_t len;
} kup_str;

typedef struct kup_bytes {
  const uint8_t *ptr;
  size_t len;
} kup_bytes;

/* Output channel owned by the host. The host copies `len` bytes of `data`
 * during the call; `data` stays the caller's. `self` and its function stay
 * valid for the duration of the call that handed the sink over. */
typedef struct kup_sink {
  uint32_t struct_size;
  void *host_ctx;
  void(KUP_ABI *write)(const struct kup_sink *self, const char *data, size_t len);
} kup_sink;

/* Error channel owned by the host. Call `set` at most once per failing call,
 * before returning the same non-zero code. `message` is one line for the
 * operator saying what failed and what to do; `details` is free text (command
 * output, file names). Both are copied by the host. */
typedef struct kup_error {
  uint32_t struct_size;
  void *host_ctx;
  void(KUP_ABI *set)(const struct kup_error *self, kup_status code, kup_str message,
                     kup_str details);
} kup_error;

/*---------------------------------------------------------------------------
 * The host as seen by a plugin
 *---------------------------------------------------------------------------*/
typedef struct kup_host {
  uint32_t struct_size;
  uint16_t abi_major; /* KUPHOST_ABI_MAJOR of the running host */
  uint16_t abi_minor; /* KUPHOST_ABI_MINOR of the running host */
  kup_str name;       /* "kuphost"; valid until deinit */
  kup_str version;    /* host release, e.g. "0.1.0"; valid until deinit */
  void *host_ctx;     /* identifies the calling plugin; opaque */

  /* Looks up a host service by versioned id ("kuphost.log/1", see the
   * KUP_SERVICE_* ids). Returns NULL when the host does not offer it. The
   * table is owned by the host and stays valid until the plugin's deinit
   * returns. Side-effect free. [any-thread] */
  const void *(KUP_ABI *get_service)(const struct kup_host *self, kup_str id);

  /* Finds an extension (a versioned table) published by another loaded
   * plugin that applies to this node, e.g. "kuphost.package-manager/1". If
   * `provider` is not NULL, the provider's plugin id is written to it.
   * Returns NULL when none does. The table is owned by the providing plugin
   * and stays valid until the host starts calling deinit functions (after
   * the last phase); do not call an extension from deinit. Side-effect
   * free. */
  const void *(KUP_ABI *find_extension)(const struct kup_host *self, kup_str id,
                                        const kup_sink *provider);
} kup_host;

/*---------------------------------------------------------------------------
 * Node description used for data-only applicability
 *---------------------------------------------------------------------------*/
/* Distro families (bit mask). ID/ID_LIKE in os-release map onto these. */
#define KUP_DISTRO_DEBIAN 0x1u  /* debian, ubuntu */
#define KUP_DISTRO_RHEL 0x2u    /* rhel, centos, fedora, rocky, almalinux */
#define KUP_DISTRO_SUSE 0x4u    /* sles, opensuse */
#define KUP_DISTRO_WINDOWS 0x8u /* Windows Server workers, driven over SSH */
#define KUP_DISTRO_LINUX (KUP_DISTRO_DEBIAN | KUP_DISTRO_RHEL | KUP_DISTRO_SUSE)

/* Node roles (bit mask). */
#define KUP_ROLE_FIRST_CONTROL_PLANE 0x1u /* runs `kubeadm upgrade apply` */
#define KUP_ROLE_OTHER_CONTROL_PLANE 0x2u /* runs `kubeadm upgrade node` */
#define KUP_ROLE_WORKER 0x4u
#define KUP_ROLE_CONTROL_PLANE (KUP_ROLE_FIRST_CONTROL_PLANE | KUP_ROLE_OTHER_CONTROL_PLANE)

/* etcd topology of a control-plane node (bit mask). A worker has neither. */
#define KUP_ETCD_STACKED 0x1u  /* etcd static pod on this node */
#define KUP_ETCD_EXTERNAL 0x2u /* control plane without a local etcd member */

/* Stages, in the order the executor runs them. */
typedef enum kup_stage {
  KUP_STAGE_PREFLIGHT = 0,
  KUP_STAGE_BACKUP = 1,
  KUP_STAGE_REPOSITORIES = 2,
  KUP_STAGE_KUBEADM_PACKAGE = 3,
  KUP_STAGE_CONTROL_PLANE = 4, /* kubeadm upgrade apply | node */
  KUP_STAGE_ADDONS_CNI = 5,
  KUP_STAGE_DRAIN = 6,
  KUP_STAGE_NODE_PACKAGES = 7, /* kubelet and kubectl */
  KUP_STAGE_KUBELET_RESTART = 8,
  KUP_STAGE_UNCORDON = 9,
  KUP_STAGE_VERIFY = 10,
  KUP_STAGE_COUNT_V1_0 = 11
} kup_stage;

/*---------------------------------------------------------------------------
 * Phases
 *---------------------------------------------------------------------------*/
/* Flags of kup_phase_call.flags */
#define KUP_CALL_DRY_RUN 0x1u /* commands that change the node are printed, not run */
#define KUP_CALL_RESUMED 0x2u /* an earlier apply of this phase was interrupted (crash, kill) */
#define KUP_CALL_FORCE 0x4u   /* the operator passed --force */
/* In plan only, and only for phases with KUP_PHASE_PLANS_POWERSHELL: the
 * operator asked for `kuphost plan -o powershell`; each line written is a
 * PowerShell line to run on the (Windows) node, or a `#` comment. (1.1) */
#define KUP_CALL_PLAN_POWERSHELL 0x10u

/* Outcomes a phase may report with set_outcome. */
#define KUP_OUTCOME_CHANGED 0u   /* default when apply returns KUP_OK */
#define KUP_OUTCOME_UNCHANGED 1u /* nothing needed doing: already at the target */

/* One call into a phase. Built by the host on its stack; valid for the
 * duration of the call only. */
typedef struct kup_phase_call {
  uint32_t struct_size;
  void *host_ctx;
  kup_str phase_id;       /* the phase's own id */
  kup_str target_version; /* e.g. "v1.31.2"; empty when `plan` runs without a version */
  uint32_t flags;         /* KUP_CALL_* */
  /* Human-readable lines. In plan: one step per line, each a command or an
   * action the phase would take. In apply/verify/rollback: progress. */
  const kup_sink *out;
  const kup_error *error; /* see kup_error */
  /* Reports the outcome and a one-line summary ("kubeadm 1.30.5 -> 1.31.2").
   * Optional to call; at most once. */
  void(KUP_ABI *set_outcome)(const struct kup_phase_call *self, uint32_t outcome,
                             kup_str summary);
} kup_phase_call;

/* Every phase entry point. `plugin_ctx` is what the plugin's init stored.
 * Returns KUP_OK or an error code after call->error->set(). `plan` may
 * return KUP_E_NOT_APPLICABLE with a message to leave the phase out. */
typedef kup_status(KUP_ABI *kup_phase_fn)(void *plugin_ctx, const kup_phase_call *call);

/* Phase flags */
#define KUP_PHASE_READ_ONLY 0x1u /* never changes the node (checks, reports) */
/* Its plan can write PowerShell for the node (KUP_CALL_PLAN_POWERSHELL). A
 * host older than this flag never sets that call flag, so the plan stays
 * prose there. (1.1) */
#define KUP_PHASE_PLANS_POWERSHELL 0x2u

/* A phase descriptor: static data owned by the plugin, valid until the
 * library is unloaded (kuphost never unloads during a run). Everything up to
 * `flags` is data the host reads to compose a run without calling plugin
 * code. */
typedef struct kup_phase_desc {
  uint32_t struct_size;
  kup_str id;          /* unique within the plugin: [a-z0-9-]+ */
  kup_str title;       /* a few words, for logs and the plan */
  kup_str description; /* one sentence: why the phase exists */
  uint32_t stage;      /* kup_stage */
  int32_t order;       /* tie-break inside a stage, lower first; 0 is the default */
  /* Ordering hints inside the same stage: "plugin/phase" or "plugin". Hints
   * naming phases that are not part of the run are ignored. */
  const kup_str *after;
  uint32_t after_count;
  const kup_str *before;
  uint32_t before_count;
  uint32_t distro_families; /* KUP_DISTRO_* mask; 0 = every family */
  uint32_t roles;           /* KUP_ROLE_* mask; 0 = every role */
  uint32_t etcd_topologies; /* KUP_ETCD_* mask; 0 = any (workers included) */
  /* Extension id some applicable selected plugin must publish, e.g.
   * "kuphost.package-manager/1"; empty = none. */
  kup_str requires_extension;
  uint32_t flags; /* KUP_PHASE_* */

  /* Optional. Read-only: describes what apply would do. The host refuses
   * commands and writes that change the node while plan runs. */
  kup_phase_fn plan;
  /* Required. Makes the change. Must be idempotent: after a crash the host
   * calls it again (with KUP_CALL_RESUMED), and re-running a finished
   * upgrade must change nothing. */
  kup_phase_fn apply;
  /* Optional. Read-only: checks that apply took effect. */
  kup_phase_fn verify;
  /* Optional. Undoes a successful apply when a later phase fails. Uses the
   * data the phase saved with kuphost.state/1, so it also works after a
   * crash. */
  kup_phase_fn rollback;
} kup_phase_desc;

/*---------------------------------------------------------------------------
 * Configuration keys a plugin declares (data-only)
 *---------------------------------------------------------------------------*/
typedef enum kup_config_type {
  KUP_CONFIG_STRING = 0,
  KUP_CONFIG_INT = 1,
  KUP_CONFIG_BOOL = 2,
  KUP_CONFIG_DURATION = 3, /* "180d", "12h", "30s" */
  KUP_CONFIG_LIST = 4,     /* a YAML sequence of scalars */
  KUP_CONFIG_MAP = 5       /* a YAML mapping; its content is not checked by the host */
} kup_config_type;

typedef struct kup_config_key {
  uint32_t struct_size;
  kup_str name;          /* key inside the plugin's section; "a.b" for nesting */
  uint32_t type;         /* kup_config_type */
  kup_str default_value; /* as YAML text; empty = no default */
  kup_str description;   /* one sentence for `kuphost plugins inspect` */
} kup_config_key;

/*---------------------------------------------------------------------------
 * Commands (ABI 1.1): top-level words a plugin adds to the kuphost CLI,
 * e.g. `kuphost backup verify SET`. The host sets the node up as for
 * `plan`/`apply` (root or sandbox node, config, facts), initializes only the
 * owning plugin (and the extension providers its phases require) with the
 * same kup_host phases get, then calls `run` once.
 *---------------------------------------------------------------------------*/
/* Flags of kup_command_call.flags (KUP_CALL_DRY_RUN and KUP_CALL_FORCE as for phases, plus:) */
#define KUP_CALL_CONFIRMED 0x8u /* the operator passed -y/--yes */

/* One call into a command. Built by the host on its stack; it, `args` and
 * every string they point to are valid for the duration of the call only. */
typedef struct kup_command_call {
  uint32_t struct_size;
  void *host_ctx;
  kup_str command;      /* the command's name, e.g. "backup" */
  const kup_str *args;  /* the words after it, e.g. {"verify", "SET"}; options the host parsed are not here */
  uint32_t arg_count;
  uint32_t flags;       /* KUP_CALL_DRY_RUN | KUP_CALL_FORCE | KUP_CALL_CONFIRMED */
  uint32_t output;      /* 0 text, 1 json, 2 yaml: the -o the operator asked for */
  const kup_sink *out;  /* kuphost's stdout: the command's report */
  const kup_error *error;
} kup_command_call;

/* `plugin_ctx` is what the plugin's init stored. Returns KUP_OK, or an error
 * code after call->error->set(): the host prints the message as
 * `kuphost: error: <message>` and exits non-zero (2 for
 * KUP_E_INVALID_ARGUMENT and KUP_E_INVALID_CONFIG, 130 for
 * KUP_E_CANCELLED, else 1). Nothing of the command's own output is printed
 * by the host: the plugin writes its whole report, in the format `output`
 * asks for, to `out`. Logging goes to kuphost.log/1 (stderr) as usual. */
typedef kup_status(KUP_ABI *kup_command_fn)(void *plugin_ctx, const kup_command_call *call);

/* A command that only reads runs like `plan`: no run lock, and the host
 * refuses writes and commands not marked KUP_EXEC_READ_ONLY. Without this
 * flag a command runs like `apply`: it takes the node's run lock (never
 * concurrent with an upgrade), every file it replaces through kuphost.fs/1
 * is first copied to /var/lib/kuphost/backups/<run>/ and recorded in
 * /var/lib/kuphost/runs/<run>.yaml (kuphost.state/1 works too, in that
 * record), and --dry-run prints changes instead of making them. The host
 * asks no confirmation: a command that needs one refuses to change the node
 * without KUP_CALL_CONFIRMED (unless KUP_CALL_DRY_RUN) and says "pass -y". */
#define KUP_COMMAND_READ_ONLY 0x1u /* never changes the node: no lock, refuses writes like plan */

/* A command descriptor: static data owned by the plugin, valid until the
 * library is unloaded, like kup_phase_desc. */
typedef struct kup_command_desc {
  uint32_t struct_size;
  kup_str name;     /* top-level word, [a-z0-9-]+, not a built-in command */
  kup_str usage;    /* "backup list | backup verify [SET] | backup restore [SET]" */
  kup_str summary;  /* one sentence for `kuphost --help` / `plugins inspect` */
  uint32_t flags;   /* KUP_COMMAND_* */
  kup_command_fn run;

  /* ---- optional, after KUP_COMMAND_DESC_MIN_SIZE (zero-filled when the
   * plugin's struct is shorter) ---- */
  /* First arguments with which a command without KUP_COMMAND_READ_ONLY still
   * runs read-only, like plan: e.g. {"list", "verify"} for `backup`, so a
   * report neither waits for an upgrade's run lock nor leaves a run record.
   * NULL = none. Static data like the rest of the descriptor. */
  const kup_str *read_only_words;
  uint32_t read_only_word_count;
} kup_command_desc;

/*---------------------------------------------------------------------------
 * The plugin descriptor
 *---------------------------------------------------------------------------*/
typedef struct kup_plugin {
  uint32_t struct_size;
  uint16_t abi_major; /* must be KUPHOST_ABI_MAJOR (1) */
  uint16_t abi_minor; /* the KUPHOST_ABI_MINOR the plugin was built against */
  kup_str id;         /* [a-z0-9-]+, e.g. "etcd-backup" */
  kup_str version;    /* the plugin's release, e.g. "0.1.0" */
  kup_str description;
  const kup_str *aliases; /* other names for --plugins, e.g. "etcd" */
  uint32_t alias_count;
  /* Pointers, not an array of structs, so that each descriptor carries its
   * own struct_size. */
  const kup_phase_desc *const *phases;
  uint32_t phase_count;
  const kup_str *extensions; /* ids of the extensions get_extension serves */
  uint32_t extension_count;
  const kup_config_key *const *config_keys;
  uint32_t config_key_count;

  /* Optional. Called once after loading, before any phase, when the plugin
   * is part of a run. `host` and everything reachable from it stay valid
   * until deinit returns. Stores the plugin's context in *plugin_ctx (owned
   * by the plugin). Must not change the node: read config and facts, check
   * prerequisites. Return KUP_E_INVALID_CONFIG for bad configuration. */
  kup_status(KUP_ABI *init)(const kup_host *host, void **plugin_ctx, const kup_error *error);
  /* Optional. Releases what init allocated. Called once, before exit. */
  void(KUP_ABI *deinit)(void *plugin_ctx);
  /* Optional. Returns the extension table for `id` (one of `extensions`) or
   * NULL. The table is owned by the plugin and valid until deinit. Must be
   * side-effect free. */
  const void *(KUP_ABI *get_extension)(void *plugin_ctx, kup_str id);

  /* ---- ABI 1.1; a 1.0 host ignores them, a 1.0 plugin has none ---- */
  /* The plugin's top-level CLI commands (see kup_command_desc). Pointers,
   * like `phases`, so that each descriptor carries its own struct_size; the
   * array and the descriptors are static data of the plugin. Built-in
   * commands (plan, apply, plugins, sandbox, version, help) win over a
   * plugin command of the same name. */
  const kup_command_desc *const *commands;
  uint32_t command_count;
} kup_plugin;

/* The smallest struct_size a reader accepts for each plugin-provided struct:
 * everything up to its last required field. Fields after that point are
 * optional; a reader zero-fills what a smaller struct_size leaves out, so a
 * plugin built with an older (smaller) struct still loads. These values never
 * change within ABI major 1. */
#define KUP_PLUGIN_MIN_SIZE (offsetof(kup_plugin, phase_count) + sizeof(uint32_t))
#define KUP_PHASE_DESC_MIN_SIZE (offsetof(kup_phase_desc, apply) + sizeof(kup_phase_fn))
#define KUP_CONFIG_KEY_MIN_SIZE (offsetof(kup_config_key, type) + sizeof(uint32_t))
/* Added in ABI 1.1; name and run are required. */
#define KUP_COMMAND_DESC_MIN_SIZE (offsetof(kup_command_desc, run) + sizeof(kup_command_fn))

/* The entry. Returns the plugin's static descriptor, valid until the library
 * is unloaded, or NULL to decline a host whose minor is too old. Must be
 * side-effect free: the host may call it to list plugins. */
typedef const kup_plugin *(KUP_ABI *kup_entry_v1_fn)(uint16_t host_abi_minor);

/* Embeds a manifest that `kuphost plugins inspect` reads from the file
 * without running any code. Use once per plugin at file scope, with string
 * literals: KUPHOST_MANIFEST("my-cni", "1.2.0") */
#define KUPHOST_MANIFEST_MAGIC "KUPHOST-MANIFEST-1\n"
#if defined(__GNUC__) || defined(__clang__)
#define KUP_MANIFEST_SECTION __attribute__((section("kuphost_manifest"), used))
#else
#define KUP_MANIFEST_SECTION
#endif
#define KUPHOST_MANIFEST_ABI_TEXT_(maj, min) #maj "." #min
#define KUPHOST_MANIFEST_ABI_TEXT(maj, min) KUPHOST_MANIFEST_ABI_TEXT_(maj, min)
#define KUPHOST_MANIFEST(id_literal, version_literal)                                  \
  KUP_MANIFEST_SECTION const char kuphost_manifest_v1[] =                             \
      KUPHOST_MANIFEST_MAGIC "id=" id_literal "\nversion=" version_literal "\nabi=" \
      KUPHOST_MANIFEST_ABI_TEXT(KUPHOST_ABI_MAJOR, KUPHOST_ABI_MINOR) "\n"

/*---------------------------------------------------------------------------
 * Host services. Each table is owned by the host and valid until the
 * calling plugin's deinit returns. `self` is the table returned by
 * get_service.
 *---------------------------------------------------------------------------*/

/* ---- kuphost.log/1 : logging in kubeadm's style ---- */
#define KUP_SERVICE_LOG_V1 "kuphost.log/1"
#define KUP_LOG_ERROR 0
#define KUP_LOG_WARNING 1
#define KUP_LOG_INFO 2  /* shown by default */
#define KUP_LOG_DEBUG 3 /* -v 1 */
#define KUP_LOG_TRACE 4 /* -v 2 */
typedef struct kup_log_service {
  uint32_t struct_size;
  void *host_ctx;
  /* Non-zero if a message of `level` would be written. [any-thread] */
  int32_t(KUP_ABI *enabled)(const struct kup_log_service *self, int32_t level);
  /* Writes one message. Without a leading "[prefix]" the host adds
   * "[upgrade/<stage>]" of the running phase. [any-thread] */
  void(KUP_ABI *write)(const struct kup_log_service *self, int32_t level, kup_str message);
} kup_log_service;

/* ---- kuphost.exec/1 : external commands, argv only, never a shell ---- */
#define KUP_SERVICE_EXEC_V1 "kuphost.exec/1"
/* Request flags */
#define KUP_EXEC_READ_ONLY 0x1u /* only reads: runs in plan and dry-run too */
#define KUP_EXEC_STREAM 0x2u    /* also show output lines live at info level */
/* Result flags */
#define KUP_EXEC_TIMED_OUT 0x1u
#define KUP_EXEC_NOT_RUN 0x2u /* dry-run: printed, not executed; exit_code is 0 */

typedef struct kup_exec_request {
  uint32_t struct_size;
  const kup_str *argv; /* argv[0] is looked up in the node's PATH */
  size_t argc;
  const kup_str *env; /* "NAME=value" entries added to the host's environment */
  size_t env_count;
  kup_bytes stdin_data; /* empty = stdin is /dev/null */
  uint32_t timeout_ms;  /* 0 = the host default (10 minutes) */
  uint32_t flags;       /* KUP_EXEC_READ_ONLY | KUP_EXEC_STREAM */
  const kup_sink *stdout_sink; /* may be NULL: output is only logged at trace level */
  const kup_sink *stderr_sink; /* may be NULL */
} kup_exec_request;

/* See KUP_PLUGIN_MIN_SIZE: argv and argc are required, the rest optional. */
#define KUP_EXEC_REQUEST_MIN_SIZE (offsetof(kup_exec_request, argc) + sizeof(size_t))

typedef struct kup_exec_result {
  uint32_t struct_size; /* set by the plugin; the host writes min(struct_size, known) */
  int32_t exit_code;    /* -1 when killed by a signal or not started */
  int32_t term_signal;  /* 0 unless killed by a signal */
  uint32_t flags;       /* KUP_EXEC_TIMED_OUT | KUP_EXEC_NOT_RUN */
  uint32_t duration_ms;
} kup_exec_result;

typedef struct kup_exec_service {
  uint32_t struct_size;
  void *host_ctx;
  /* Runs a command and waits for it. Returns KUP_OK for exit code 0,
   * KUP_E_COMMAND_FAILED for another exit code (error set with the
   * command's last stderr line), KUP_E_TIMEOUT, KUP_E_NOT_FOUND when
   * argv[0] does not exist, KUP_E_INVALID_ARGUMENT for a change requested
   * during plan. `result` (plugin-owned, may be NULL) is filled in every
   * case. [any-thread]: a plugin may run commands from its own threads
   * (renewing a Lease while a phase waits, say); they are logged under the
   * phase running at that moment. */
  kup_status(KUP_ABI *run)(const struct kup_exec_service *self, const kup_exec_request *request,
                           kup_exec_result *result, const kup_error *error);
} kup_exec_service;

/* ---- kuphost.config/1 : the plugin's section of kuphost.yaml ---- */
#define KUP_SERVICE_CONFIG_V1 "kuphost.config/1"
typedef struct kup_config_service {
  uint32_t struct_size;
  void *host_ctx;
  /* Writes the plugin's whole section as YAML text (empty if absent). */
  kup_status(KUP_ABI *get_section)(const struct kup_config_service *self, const kup_sink *out);
  /* Writes the value of a declared key: the scalar text, or YAML text for a
   * list or map; the declared default when unset. KUP_E_NOT_FOUND when the
   * key is unset and has no default. */
  kup_status(KUP_ABI *get_value)(const struct kup_config_service *self, kup_str key,
                                 const kup_sink *out);
} kup_config_service;

/* ---- kuphost.facts/1 : what the host knows about the node ---- */
#define KUP_SERVICE_FACTS_V1 "kuphost.facts/1"
/* Keys: node.name, node.role (first-control-plane|other-control-plane|
 * worker), os.id, os.version_id, os.family (debian|rhel|suse|windows),
 * arch (amd64|arm64|...), etcd.topology (stacked|external|none),
 * k8s.control_plane.version, k8s.kubeadm.version, k8s.kubelet.version,
 * k8s.kubectl.version, k8s.target.version, run.root, run.sandbox.
 * node.apiserver-endpoint: host:port where this node's own kube-apiserver
 * answers, when the host knows better than the manifest (the sandbox maps
 * it to a loopback port); absent otherwise: derive it from the manifest. */
/* run.kubeconfig: the node path the operator passed as --kubeconfig.
 * run.phases: the qualified ids of the phases composed for this run,
 * comma-separated in run order ("kubeadm/preflight,apt/repository,..."), so
 * that a phase can leave a job to another plugin (kubeadm leaves certificate
 * renewal to certs/renew when it runs). */
/* Operator options, as kubeadm's flags of the same names:
 * run.allow-experimental-upgrades, run.allow-release-candidate-upgrades
 * ("true"|"false"); run.ignore-preflight-errors (comma-separated check
 * names or "all"; absent when not given). run.privileged-user ("true" when
 * kuphost runs with effective uid 0). fs.available-bytes:<node path>: bytes
 * free to unprivileged users on the filesystem holding that path, read
 * (statvfs) when asked; KUP_E_NOT_FOUND for a path that does not exist. */
typedef struct kup_facts_service {
  uint32_t struct_size;
  void *host_ctx;
  /* Writes the fact's value; KUP_E_NOT_FOUND when unknown. */
  kup_status(KUP_ABI *get)(const struct kup_facts_service *self, kup_str key,
                           const kup_sink *out);
} kup_facts_service;

/* ---- kuphost.state/1 : per-plugin data kept in the run's journal ---- */
#define KUP_SERVICE_STATE_V1 "kuphost.state/1"
typedef struct kup_state_service {
  uint32_t struct_size;
  void *host_ctx;
  /* Stores a value for this plugin in the current run. The journal is on
   * disk (fsync'd) before set returns, so rollback after a crash sees it. */
  kup_status(KUP_ABI *set)(const struct kup_state_service *self, kup_str key, kup_bytes value,
                           const kup_error *error);
  /* Writes a stored value; KUP_E_NOT_FOUND when absent. */
  kup_status(KUP_ABI *get)(const struct kup_state_service *self, kup_str key,
                           const kup_sink *out);
  /* Like set/get, but in one namespace shared by every plugin of the run,
   * for facts that phases of different plugins must agree on. Well-known
   * keys: "node/cordoned-before" = "true" | "false" (whether the operator
   * had cordoned the node before kuphost drained it; whoever drains records
   * it, uncordon and rollback honour it); "plan/upgrade-table" = YAML, set
   * by kubeadm/preflight's plan: the cluster and kubeadm versions, the target
   * and the COMPONENT NODE CURRENT TARGET rows `kuphost plan` prints
   * (plugins/kubeadm/plan_table.h has the shape);
   * "kubeadm/certificate-renewal" = "true" | "false", set by
   * kubeadm/preflight: false when the operator wants no renewal during the
   * upgrade, which the certs plugin's renewal phase honours too. */
  kup_status(KUP_ABI *set_shared)(const struct kup_state_service *self, kup_str key,
                                  kup_bytes value, const kup_error *error);
  kup_status(KUP_ABI *get_shared)(const struct kup_state_service *self, kup_str key,
                                  const kup_sink *out);
} kup_state_service;

/* ---- kuphost.fs/1 : files of the node (paths are node paths, "/etc/...",
 * mapped under --root or the sandbox node) ---- */
#define KUP_SERVICE_FS_V1 "kuphost.fs/1"
#define KUP_FILE_MISSING 0u
#define KUP_FILE_REGULAR 1u
#define KUP_FILE_DIRECTORY 2u
#define KUP_FILE_OTHER 3u
typedef struct kup_file_info {
  uint32_t struct_size; /* set by the plugin */
  uint32_t type;        /* KUP_FILE_* */
  uint32_t mode;        /* permission bits */
  uint64_t size;
} kup_file_info;

typedef struct kup_fs_service {
  uint32_t struct_size;
  void *host_ctx;
  /* Writes the host path for a node path (for tools given paths). */
  kup_status(KUP_ABI *resolve)(const struct kup_fs_service *self, kup_str path,
                               const kup_sink *out);
  kup_status(KUP_ABI *stat)(const struct kup_fs_service *self, kup_str path, kup_file_info *info);
  kup_status(KUP_ABI *read)(const struct kup_fs_service *self, kup_str path, const kup_sink *out,
                            const kup_error *error);
  /* Replaces the file atomically (temp file, fsync, rename) with `mode`.
   * Dry-run: logged, not written. Plan: refused. */
  kup_status(KUP_ABI *write)(const struct kup_fs_service *self, kup_str path, kup_bytes data,
                             uint32_t mode, const kup_error *error);
  /* Creates the directory and its parents with `mode`. */
  kup_status(KUP_ABI *make_dirs)(const struct kup_fs_service *self, kup_str path, uint32_t mode,
                                 const kup_error *error);
  /* Writes the directory's entry names, one per line, sorted. */
  kup_status(KUP_ABI *list)(const struct kup_fs_service *self, kup_str path, const kup_sink *out,
                            const kup_error *error);
} kup_fs_service;

/* ---- kuphost.clock/1 : time, so that waits are testable ---- */
#define KUP_SERVICE_CLOCK_V1 "kuphost.clock/1"
typedef struct kup_clock_service {
  uint32_t struct_size;
  void *host_ctx;
  int64_t(KUP_ABI *now_unix_ms)(const struct kup_clock_service *self);  /* [any-thread] */
  int64_t(KUP_ABI *monotonic_ms)(const struct kup_clock_service *self); /* [any-thread] */
  /* Sleeps; returns KUP_E_CANCELLED early when the operator interrupts. */
  kup_status(KUP_ABI *sleep_ms)(const struct kup_clock_service *self, uint32_t ms);
} kup_clock_service;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KUPHOST_KUPHOST_H */
