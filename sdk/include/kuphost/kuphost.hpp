//===- kuphost/kuphost.hpp - header-only C++17 layer over the C ABI -------===//
//
// For plugin authors. Depends only on kuphost.h and the standard library, so
// it builds with the plugin author's own compiler; nothing here crosses the
// boundary as a C++ type. Exceptions thrown by plugin code are caught by the
// noexcept trampolines below and turned into status codes carrying the
// exception's message.
//
// A plugin is a class with
//   static void describe(kup::PluginInfo &info);  // data only, no side effects
//   explicit Plugin(kup::Host host);               // init: read config, check
//   ~Plugin();                                     // deinit
//   const void *extension(std::string_view id);    // optional
//   void my_command(const kup::CommandCall &call); // any number, optional (ABI 1.1)
// and one KUPHOST_PLUGIN(Plugin, "id", "version") line at file scope.
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_KUPHOST_HPP
#define KUPHOST_KUPHOST_HPP

#include "kuphost.h"

#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace kup {

static_assert(sizeof(kup_str) == 2 * sizeof(void *), "kup_str must be {ptr,len}");

inline kup_str to_kup(std::string_view s) noexcept { return kup_str{s.data(), s.size()}; }
inline std::string_view to_sv(kup_str s) noexcept {
  return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view();
}

// An error thrown inside plugin code; the trampolines turn it into `code`.
class Error : public std::runtime_error {
 public:
  Error(kup_status code, std::string message, std::string details = {})
      : std::runtime_error(std::move(message)), code_(code), details_(std::move(details)) {}
  kup_status code() const noexcept { return code_; }
  const std::string &details() const noexcept { return details_; }

 private:
  kup_status code_;
  std::string details_;
};

// A plugin-owned sink that collects what a host service writes. Lives on the
// caller's stack; valid while the object lives.
class StringSink {
 public:
  StringSink() noexcept { sink_ = kup_sink{sizeof(kup_sink), this, &StringSink::write_cb}; }
  StringSink(const StringSink &) = delete;
  StringSink &operator=(const StringSink &) = delete;
  const kup_sink *get() const noexcept { return &sink_; }
  const std::string &str() const noexcept { return text_; }
  std::string take() noexcept { return std::move(text_); }

 private:
  static void KUP_ABI write_cb(const kup_sink *self, const char *data, size_t len) noexcept {
    auto *me = static_cast<StringSink *>(self->host_ctx);
    try {
      me->text_.append(data, len);
    } catch (...) {  // out of memory: drop the text rather than unwind into C
    }
  }
  kup_sink sink_;
  std::string text_;
};

// Collects an error reported by a host service, so that it can be rethrown.
class ErrorCapture {
 public:
  ErrorCapture() noexcept { err_ = kup_error{sizeof(kup_error), this, &ErrorCapture::set_cb}; }
  ErrorCapture(const ErrorCapture &) = delete;
  ErrorCapture &operator=(const ErrorCapture &) = delete;
  const kup_error *get() const noexcept { return &err_; }
  [[noreturn]] void raise(kup_status code, std::string_view fallback) const {
    throw Error(code, message_.empty() ? std::string(fallback) : message_, details_);
  }
  const std::string &message() const noexcept { return message_; }

 private:
  static void KUP_ABI set_cb(const kup_error *self, kup_status, kup_str msg, kup_str det) noexcept {
    auto *me = static_cast<ErrorCapture *>(self->host_ctx);
    try {
      me->message_.assign(to_sv(msg));
      me->details_.assign(to_sv(det));
    } catch (...) {
    }
  }
  kup_error err_;
  std::string message_, details_;
};

namespace detail {
// Reads a field of a host table only if the table is large enough to have it.
template <class Table, class Field>
bool has_field(const Table *t, const Field Table::*member) noexcept {
  if (!t) return false;
  const auto offset = reinterpret_cast<std::size_t>(&(static_cast<const Table *>(nullptr)->*member));
  return t->struct_size >= offset + sizeof(Field);
}
}  // namespace detail

struct ExecResult {
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;
  bool not_run = false;  // dry-run: printed, not executed
  std::string out, err;
};

struct ExecOptions {
  bool read_only = false;  // safe to run during plan and dry-run
  bool stream = false;     // show output live
  bool check = true;       // throw kup::Error on a non-zero exit
  uint32_t timeout_ms = 0;
  std::vector<std::string> env;  // "NAME=value"
  std::string stdin_data;
};

struct FileInfo {
  uint32_t type = KUP_FILE_MISSING;
  uint32_t mode = 0;
  uint64_t size = 0;
  bool exists() const noexcept { return type != KUP_FILE_MISSING; }
};

// Typed access to the host. Cheap to copy; valid until the plugin's deinit.
class Host {
 public:
  explicit Host(const kup_host *host) noexcept : host_(host) {
    log_ = service<kup_log_service>(KUP_SERVICE_LOG_V1);
    exec_ = service<kup_exec_service>(KUP_SERVICE_EXEC_V1);
    config_ = service<kup_config_service>(KUP_SERVICE_CONFIG_V1);
    facts_ = service<kup_facts_service>(KUP_SERVICE_FACTS_V1);
    state_ = service<kup_state_service>(KUP_SERVICE_STATE_V1);
    fs_ = service<kup_fs_service>(KUP_SERVICE_FS_V1);
    clock_ = service<kup_clock_service>(KUP_SERVICE_CLOCK_V1);
  }
  const kup_host *raw() const noexcept { return host_; }
  uint16_t abi_minor() const noexcept { return host_->abi_minor; }

  template <class Table>
  const Table *service(std::string_view id) const noexcept {
    if (!host_->get_service) return nullptr;
    return static_cast<const Table *>(host_->get_service(host_, to_kup(id)));
  }
  // An extension published by another plugin; `provider` receives its id.
  template <class Table>
  const Table *extension(std::string_view id, std::string *provider = nullptr) const {
    if (!detail::has_field(host_, &kup_host::find_extension) || !host_->find_extension)
      return nullptr;
    StringSink who;
    auto *t = static_cast<const Table *>(host_->find_extension(host_, to_kup(id), who.get()));
    if (provider) *provider = who.str();
    return t;
  }

  // ---- log ----
  bool log_enabled(int32_t level) const noexcept {
    return log_ && log_->enabled && log_->enabled(log_, level) != 0;
  }
  void log(int32_t level, std::string_view message) const noexcept {
    if (log_ && log_->write) log_->write(log_, level, to_kup(message));
  }
  void info(std::string_view m) const noexcept { log(KUP_LOG_INFO, m); }
  void warn(std::string_view m) const noexcept { log(KUP_LOG_WARNING, m); }
  void debug(std::string_view m) const noexcept { log(KUP_LOG_DEBUG, m); }

  // ---- exec ----
  ExecResult run(const std::vector<std::string> &argv, const ExecOptions &opt = {}) const {
    if (!exec_) throw Error(KUP_E_PREREQUISITE_MISSING, "host offers no " KUP_SERVICE_EXEC_V1);
    std::vector<kup_str> args, env;
    for (auto &a : argv) args.push_back(to_kup(a));
    for (auto &e : opt.env) env.push_back(to_kup(e));
    StringSink out, err;
    kup_exec_request req{};
    req.struct_size = sizeof req;
    req.argv = args.data();
    req.argc = args.size();
    req.env = env.data();
    req.env_count = env.size();
    req.stdin_data = kup_bytes{reinterpret_cast<const uint8_t *>(opt.stdin_data.data()),
                               opt.stdin_data.size()};
    req.timeout_ms = opt.timeout_ms;
    req.flags = (opt.read_only ? KUP_EXEC_READ_ONLY : 0u) | (opt.stream ? KUP_EXEC_STREAM : 0u);
    req.stdout_sink = out.get();
    req.stderr_sink = err.get();
    kup_exec_result res{};
    res.struct_size = sizeof res;
    ErrorCapture ec;
    const kup_status st = exec_->run(exec_, &req, &res, ec.get());
    ExecResult r;
    r.exit_code = res.exit_code;
    r.term_signal = res.term_signal;
    r.timed_out = (res.flags & KUP_EXEC_TIMED_OUT) != 0;
    r.not_run = (res.flags & KUP_EXEC_NOT_RUN) != 0;
    r.out = out.take();
    r.err = err.take();
    if (st != KUP_OK && (opt.check || st != KUP_E_COMMAND_FAILED))
      ec.raise(st, "command failed: " + (argv.empty() ? std::string() : argv[0]));
    return r;
  }

  // ---- config ----
  std::string config_section() const {
    StringSink s;
    if (config_ && config_->get_section) config_->get_section(config_, s.get());
    return s.take();
  }
  std::optional<std::string> config(std::string_view key) const {
    if (!config_ || !config_->get_value) return std::nullopt;
    StringSink s;
    if (config_->get_value(config_, to_kup(key), s.get()) != KUP_OK) return std::nullopt;
    return s.take();
  }

  // ---- facts ----
  std::optional<std::string> fact(std::string_view key) const {
    if (!facts_ || !facts_->get) return std::nullopt;
    StringSink s;
    if (facts_->get(facts_, to_kup(key), s.get()) != KUP_OK) return std::nullopt;
    return s.take();
  }

  // ---- state ----
  void state_set(std::string_view key, std::string_view value) const {
    if (!state_) throw Error(KUP_E_PREREQUISITE_MISSING, "host offers no " KUP_SERVICE_STATE_V1);
    ErrorCapture ec;
    const kup_status st = state_->set(
        state_, to_kup(key),
        kup_bytes{reinterpret_cast<const uint8_t *>(value.data()), value.size()}, ec.get());
    if (st != KUP_OK) ec.raise(st, "could not record state");
  }
  // Run-wide state shared by all plugins (see kup_state_service).
  void shared_state_set(std::string_view key, std::string_view value) const {
    if (!detail::has_field(state_, &kup_state_service::set_shared) || !state_->set_shared)
      throw Error(KUP_E_UNSUPPORTED, "this kuphost has no shared run state");
    ErrorCapture ec;
    const kup_status st = state_->set_shared(
        state_, to_kup(key),
        kup_bytes{reinterpret_cast<const uint8_t *>(value.data()), value.size()}, ec.get());
    if (st != KUP_OK) ec.raise(st, "could not record shared state");
  }
  std::optional<std::string> shared_state_get(std::string_view key) const {
    if (!detail::has_field(state_, &kup_state_service::get_shared) || !state_->get_shared)
      return std::nullopt;
    StringSink s;
    if (state_->get_shared(state_, to_kup(key), s.get()) != KUP_OK) return std::nullopt;
    return s.take();
  }
  std::optional<std::string> state_get(std::string_view key) const {
    if (!state_) return std::nullopt;
    StringSink s;
    if (state_->get(state_, to_kup(key), s.get()) != KUP_OK) return std::nullopt;
    return s.take();
  }

  // ---- fs ----
  std::string resolve(std::string_view path) const {
    StringSink s;
    if (!fs_ || fs_->resolve(fs_, to_kup(path), s.get()) != KUP_OK)
      throw Error(KUP_E_INVALID_ARGUMENT, "cannot resolve " + std::string(path));
    return s.take();
  }
  FileInfo stat(std::string_view path) const {
    FileInfo info;
    if (!fs_) return info;
    kup_file_info fi{};
    fi.struct_size = sizeof fi;
    if (fs_->stat(fs_, to_kup(path), &fi) == KUP_OK) {
      info.type = fi.type;
      info.mode = fi.mode;
      info.size = fi.size;
    }
    return info;
  }
  std::string read_file(std::string_view path) const {
    require_fs();
    StringSink s;
    ErrorCapture ec;
    const kup_status st = fs_->read(fs_, to_kup(path), s.get(), ec.get());
    if (st != KUP_OK) ec.raise(st, "cannot read " + std::string(path));
    return s.take();
  }
  void write_file(std::string_view path, std::string_view data, uint32_t mode = 0644) const {
    require_fs();
    ErrorCapture ec;
    const kup_status st = fs_->write(
        fs_, to_kup(path), kup_bytes{reinterpret_cast<const uint8_t *>(data.data()), data.size()},
        mode, ec.get());
    if (st != KUP_OK) ec.raise(st, "cannot write " + std::string(path));
  }
  void make_dirs(std::string_view path, uint32_t mode = 0755) const {
    require_fs();
    ErrorCapture ec;
    const kup_status st = fs_->make_dirs(fs_, to_kup(path), mode, ec.get());
    if (st != KUP_OK) ec.raise(st, "cannot create " + std::string(path));
  }
  std::vector<std::string> list_dir(std::string_view path) const {
    require_fs();
    StringSink s;
    ErrorCapture ec;
    const kup_status st = fs_->list(fs_, to_kup(path), s.get(), ec.get());
    if (st != KUP_OK) ec.raise(st, "cannot list " + std::string(path));
    std::vector<std::string> names;
    std::string_view all = s.str();
    while (!all.empty()) {
      const auto nl = all.find('\n');
      names.emplace_back(all.substr(0, nl));
      if (nl == std::string_view::npos) break;
      all.remove_prefix(nl + 1);
    }
    return names;
  }

  // ---- clock ----
  int64_t now_unix_ms() const noexcept { return clock_ ? clock_->now_unix_ms(clock_) : 0; }
  int64_t monotonic_ms() const noexcept { return clock_ ? clock_->monotonic_ms(clock_) : 0; }
  void sleep_ms(uint32_t ms) const {
    if (clock_ && clock_->sleep_ms(clock_, ms) == KUP_E_CANCELLED)
      throw Error(KUP_E_CANCELLED, "interrupted");
  }

 private:
  void require_fs() const {
    if (!fs_) throw Error(KUP_E_PREREQUISITE_MISSING, "host offers no " KUP_SERVICE_FS_V1);
  }
  const kup_host *host_;
  const kup_log_service *log_ = nullptr;
  const kup_exec_service *exec_ = nullptr;
  const kup_config_service *config_ = nullptr;
  const kup_facts_service *facts_ = nullptr;
  const kup_state_service *state_ = nullptr;
  const kup_fs_service *fs_ = nullptr;
  const kup_clock_service *clock_ = nullptr;
};

// One call into a phase, as seen by plugin code. Valid during the call.
class Call {
 public:
  explicit Call(const kup_phase_call *c) noexcept : c_(c) {}
  std::string_view phase_id() const noexcept { return to_sv(c_->phase_id); }
  std::string_view target_version() const noexcept { return to_sv(c_->target_version); }
  bool dry_run() const noexcept { return (c_->flags & KUP_CALL_DRY_RUN) != 0; }
  bool resumed() const noexcept { return (c_->flags & KUP_CALL_RESUMED) != 0; }
  bool force() const noexcept { return (c_->flags & KUP_CALL_FORCE) != 0; }
  // `plan -o powershell`: write PowerShell lines (see KUP_CALL_PLAN_POWERSHELL).
  bool plan_powershell() const noexcept { return (c_->flags & KUP_CALL_PLAN_POWERSHELL) != 0; }
  // Writes one line (a plan step, or progress).
  void out(std::string_view line) const noexcept {
    if (!c_->out || !c_->out->write) return;
    c_->out->write(c_->out, line.data(), line.size());
    c_->out->write(c_->out, "\n", 1);
  }
  void unchanged(std::string_view summary) const noexcept { outcome(KUP_OUTCOME_UNCHANGED, summary); }
  void changed(std::string_view summary) const noexcept { outcome(KUP_OUTCOME_CHANGED, summary); }
  const kup_phase_call *raw() const noexcept { return c_; }

 private:
  void outcome(uint32_t o, std::string_view summary) const noexcept {
    if (detail::has_field(c_, &kup_phase_call::set_outcome) && c_->set_outcome)
      c_->set_outcome(c_, o, to_kup(summary));
  }
  const kup_phase_call *c_;
};

// One call into a plugin command (ABI 1.1), as seen by plugin code. Valid
// during the call; args() copies the words so that they may be kept.
class CommandCall {
 public:
  explicit CommandCall(const kup_command_call *c) noexcept : c_(c) {}
  std::string_view command() const noexcept { return to_sv(c_->command); }
  // The words after the command's name, in order; parsed options are not here.
  std::vector<std::string> args() const {
    std::vector<std::string> words;
    for (uint32_t i = 0; c_->args && i < c_->arg_count; ++i) words.emplace_back(to_sv(c_->args[i]));
    return words;
  }
  bool dry_run() const noexcept { return (c_->flags & KUP_CALL_DRY_RUN) != 0; }
  bool force() const noexcept { return (c_->flags & KUP_CALL_FORCE) != 0; }
  // The operator passed -y: a command that changes the node may go ahead.
  bool confirmed() const noexcept { return (c_->flags & KUP_CALL_CONFIRMED) != 0; }
  // The -o the operator asked for: 0 text, 1 json, 2 yaml.
  int output() const noexcept { return static_cast<int>(c_->output); }
  // Writes one line of the report to kuphost's stdout.
  void out(std::string_view line) const noexcept {
    write(line);
    write("\n");
  }
  // Writes text as is (a JSON or YAML document, say).
  void write(std::string_view raw) const noexcept {
    if (c_->out && c_->out->write && !raw.empty()) c_->out->write(c_->out, raw.data(), raw.size());
  }
  const kup_command_call *raw() const noexcept { return c_; }

 private:
  const kup_command_call *c_;
};

namespace detail {
// Runs `fn`, turning exceptions into a status code and the error sink.
template <class Fn>
kup_status guard(const kup_error *error, Fn &&fn) noexcept {
  auto report = [error](kup_status code, const char *msg, const std::string &details) noexcept {
    if (error && error->set)
      error->set(error, code, kup_str{msg, std::strlen(msg)}, to_kup(details));
    return code;
  };
  try {
    fn();
    return KUP_OK;
  } catch (const Error &e) {
    return report(e.code() == KUP_OK ? KUP_E_INTERNAL : e.code(), e.what(), e.details());
  } catch (const std::exception &e) {
    return report(KUP_E_INTERNAL, e.what(), std::string());
  } catch (...) {
    return report(KUP_E_INTERNAL, "unknown exception in plugin", std::string());
  }
}

template <class T>
struct member_class;
template <class C, class R, class... A>
struct member_class<R (C::*)(A...)> {
  using type = C;
};
}  // namespace detail

// Runs `fn` and turns any exception into a status code plus the error sink:
// use it in every C entry point a plugin exposes (extension tables too).
template <class Fn>
kup_status guard(const kup_error *error, Fn &&fn) noexcept {
  return detail::guard(error, std::forward<Fn>(fn));
}

// phase<&MyPlugin::apply_repo>() yields a kup_phase_fn calling that member.
// The member takes (const kup::Call &) and returns void; it throws kup::Error
// to fail.
template <auto Member>
kup_phase_fn phase() noexcept {
  using P = typename detail::member_class<decltype(Member)>::type;
  return [](void *ctx, const kup_phase_call *call) noexcept -> kup_status {
    return detail::guard(call ? call->error : nullptr,
                         [&] { (static_cast<P *>(ctx)->*Member)(Call(call)); });
  };
}

// command<&MyPlugin::backup>() yields a kup_command_fn calling that member.
// The member takes (const kup::CommandCall &) and returns void; it throws
// kup::Error to fail (KUP_E_INVALID_ARGUMENT for bad words: exit code 2).
template <auto Member>
kup_command_fn command() noexcept {
  using P = typename detail::member_class<decltype(Member)>::type;
  return [](void *ctx, const kup_command_call *call) noexcept -> kup_status {
    return detail::guard(call ? call->error : nullptr,
                         [&] { (static_cast<P *>(ctx)->*Member)(CommandCall(call)); });
  };
}

// Description of one phase, filled in describe().
struct PhaseSpec {
  std::string id, title, description;
  kup_stage stage = KUP_STAGE_PREFLIGHT;
  int32_t order = 0;
  std::vector<std::string> after, before;
  uint32_t distro_families = 0, roles = 0, etcd_topologies = 0;
  std::string requires_extension;
  uint32_t flags = 0;
  kup_phase_fn plan = nullptr, apply = nullptr, verify = nullptr, rollback = nullptr;
};

// Description of one top-level CLI command (ABI 1.1), filled in describe().
struct CommandSpec {
  std::string name;     // the word after `kuphost`: [a-z0-9-]+, not a built-in command
  std::string usage;    // "backup list | backup verify [SET]"
  std::string summary;  // one sentence
  uint32_t flags = 0;   // KUP_COMMAND_READ_ONLY
  kup_command_fn run = nullptr;
  // First arguments that run the command read-only anyway ({"list"}).
  std::vector<std::string> read_only_words{};
};

struct ConfigKeySpec {
  std::string name;
  kup_config_type type = KUP_CONFIG_STRING;
  std::string default_value, description;
};

// Owns the C descriptors built from the specs. Built once, in a static, by
// the entry function; lives until the library is unloaded.
class PluginInfo {
 public:
  std::string description;
  std::vector<std::string> aliases;
  std::vector<std::string> extensions;
  std::vector<PhaseSpec> phases;
  std::vector<ConfigKeySpec> config_keys;
  // A 1.0 host ignores commands; set min_host_abi_minor = 1 to refuse it instead.
  std::vector<CommandSpec> commands;
  uint16_t min_host_abi_minor = 0;

  kup_plugin *build(std::string_view id, std::string_view version) {
    id_ = id;
    version_ = version;
    for (auto &a : aliases) alias_strs_.push_back(to_kup(a));
    for (auto &e : extensions) ext_strs_.push_back(to_kup(e));
    for (auto &p : phases) {
      kup_phase_desc d{};
      d.struct_size = sizeof d;
      d.id = to_kup(p.id);
      d.title = to_kup(p.title);
      d.description = to_kup(p.description);
      d.stage = static_cast<uint32_t>(p.stage);
      d.order = p.order;
      d.after = strs(p.after, &d.after_count);
      d.before = strs(p.before, &d.before_count);
      d.distro_families = p.distro_families;
      d.roles = p.roles;
      d.etcd_topologies = p.etcd_topologies;
      d.requires_extension = to_kup(p.requires_extension);
      d.flags = p.flags;
      d.plan = p.plan;
      d.apply = p.apply;
      d.verify = p.verify;
      d.rollback = p.rollback;
      phase_descs_.push_back(d);  // deque: addresses stay put
    }
    for (auto &d : phase_descs_) phase_ptrs_.push_back(&d);
    for (auto &k : config_keys) {
      kup_config_key c{};
      c.struct_size = sizeof c;
      c.name = to_kup(k.name);
      c.type = static_cast<uint32_t>(k.type);
      c.default_value = to_kup(k.default_value);
      c.description = to_kup(k.description);
      key_descs_.push_back(c);
    }
    for (auto &k : key_descs_) key_ptrs_.push_back(&k);
    for (auto &c : commands) {
      kup_command_desc d{};
      d.struct_size = sizeof d;
      d.name = to_kup(c.name);
      d.usage = to_kup(c.usage);
      d.summary = to_kup(c.summary);
      d.flags = c.flags;
      d.run = c.run;
      auto &words = read_only_word_strs_.emplace_back();
      for (auto &w : c.read_only_words) words.push_back(to_kup(w));
      d.read_only_words = words.empty() ? nullptr : words.data();
      d.read_only_word_count = static_cast<uint32_t>(words.size());
      command_descs_.push_back(d);
    }
    for (auto &c : command_descs_) command_ptrs_.push_back(&c);
    plugin_ = kup_plugin{};
    plugin_.struct_size = sizeof plugin_;
    plugin_.abi_major = KUPHOST_ABI_MAJOR;
    plugin_.abi_minor = KUPHOST_ABI_MINOR;
    plugin_.id = to_kup(id_);
    plugin_.version = to_kup(version_);
    plugin_.description = to_kup(description);
    plugin_.aliases = alias_strs_.data();
    plugin_.alias_count = static_cast<uint32_t>(alias_strs_.size());
    plugin_.phases = phase_ptrs_.data();
    plugin_.phase_count = static_cast<uint32_t>(phase_ptrs_.size());
    plugin_.extensions = ext_strs_.data();
    plugin_.extension_count = static_cast<uint32_t>(ext_strs_.size());
    plugin_.config_keys = key_ptrs_.data();
    plugin_.config_key_count = static_cast<uint32_t>(key_ptrs_.size());
    plugin_.commands = command_ptrs_.data();
    plugin_.command_count = static_cast<uint32_t>(command_ptrs_.size());
    return &plugin_;
  }

 private:
  const kup_str *strs(const std::vector<std::string> &v, uint32_t *count) {
    auto &store = str_lists_.emplace_back();
    for (auto &s : v) store.push_back(to_kup(s));
    *count = static_cast<uint32_t>(store.size());
    return store.empty() ? nullptr : store.data();
  }
  std::string id_, version_;
  std::vector<kup_str> alias_strs_, ext_strs_;
  std::deque<std::vector<kup_str>> str_lists_;
  std::deque<kup_phase_desc> phase_descs_;
  std::vector<const kup_phase_desc *> phase_ptrs_;
  std::deque<kup_config_key> key_descs_;
  std::vector<const kup_config_key *> key_ptrs_;
  std::deque<kup_command_desc> command_descs_;
  std::deque<std::vector<kup_str>> read_only_word_strs_;  // one per command; the descriptors point into them
  std::vector<const kup_command_desc *> command_ptrs_;
  kup_plugin plugin_{};
};

namespace detail {
template <class P, class = void>
struct has_extension : std::false_type {};
template <class P>
struct has_extension<P, std::void_t<decltype(std::declval<P &>().extension(std::string_view()))>>
    : std::true_type {};

template <class P>
kup_status KUP_ABI init(const kup_host *host, void **ctx, const kup_error *error) noexcept {
  return guard(error, [&] { *ctx = new P(Host(host)); });
}
template <class P>
void KUP_ABI deinit(void *ctx) noexcept {
  try {
    delete static_cast<P *>(ctx);
  } catch (...) {  // a throwing destructor must not unwind into the host
  }
}
template <class P>
const void *KUP_ABI get_extension(void *ctx, kup_str id) noexcept {
  try {
    return static_cast<P *>(ctx)->extension(to_sv(id));
  } catch (...) {
    return nullptr;
  }
}

template <class P>
const kup_plugin *entry(const char *id, const char *version, uint16_t host_abi_minor) noexcept {
  try {
    // Built in place once: the descriptors point into `info`, which must not move.
    static PluginInfo info;
    static const kup_plugin *descriptor = [&] {
      P::describe(info);
      kup_plugin *p = info.build(id, version);
      p->init = &init<P>;
      p->deinit = &deinit<P>;
      if constexpr (has_extension<P>::value) p->get_extension = &get_extension<P>;
      return p;
    }();
    if (host_abi_minor < info.min_host_abi_minor) return nullptr;
    return descriptor;
  } catch (...) {
    return nullptr;
  }
}
}  // namespace detail
}  // namespace kup

// Defines the plugin's entry and manifest. Use once, at file scope.
#define KUPHOST_PLUGIN(PluginClass, id_literal, version_literal)                          \
  KUPHOST_MANIFEST(id_literal, version_literal);                                         \
  extern "C" KUP_EXPORT const kup_plugin *KUP_ABI kuphost_plugin_v1(uint16_t host_minor) { \
    return ::kup::detail::entry<PluginClass>(id_literal, version_literal, host_minor);    \
  }

#endif  // KUPHOST_KUPHOST_HPP
