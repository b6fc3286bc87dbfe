#include "abi/plugin_host.h"

#include <sys/statvfs.h>

#include <spdlog/spdlog.h>

#include "abi/status_text.h"
#include "services/logging.h"
#include "support/strings.h"
#include "version.h"

namespace kuphost {
namespace {

std::string sv(kup_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

template <class Table>
PluginHost *me(const Table *table) {
  return static_cast<PluginHost *>(table->host_ctx);
}

// Reads a plugin-provided request with min(struct_size, known) semantics.
template <class T>
bool read_struct(const T *src, size_t min_size, T *out) {
  if (!src || src->struct_size < min_size) return false;
  *out = T{};
  std::memcpy(out, src, std::min<size_t>(src->struct_size, sizeof(T)));
  return true;
}

// Writes a host-filled result struct with min(struct_size, known) semantics.
template <class T>
void write_struct(const T &value, T *dst) {
  if (!dst || dst->struct_size < sizeof(uint32_t)) return;
  const uint32_t size = dst->struct_size;
  std::memcpy(reinterpret_cast<char *>(dst) + sizeof(uint32_t),
              reinterpret_cast<const char *>(&value) + sizeof(uint32_t),
              std::min<size_t>(size, sizeof(T)) - sizeof(uint32_t));
}

}  // namespace

void write_sink(const kup_sink *sink, std::string_view text) {
  if (sink && sink->write && !text.empty()) sink->write(sink, text.data(), text.size());
}

kup_status set_error(const kup_error *error, kup_status code, std::string_view message,
                     std::string_view details) {
  if (error && error->set)
    error->set(error, code, kup_str{message.data(), message.size()},
               kup_str{details.data(), details.size()});
  return code;
}

std::string RunEnv::log_prefix() const {
  const int s = stage.load();
  if (s < 0 && !command.empty()) return "[" + command + "]";
  return s < 0 ? std::string("[upgrade]") : std::string("[upgrade/") + stage_name(static_cast<kup_stage>(s)) + "]";
}

PluginHost::PluginHost(RunEnv &env, const LoadedPlugin &plugin, ExtensionLookup find_extension)
    : env_(env), plugin_(plugin), lookup_(std::move(find_extension)) {
  host_.struct_size = sizeof host_;
  host_.abi_major = KUPHOST_ABI_MAJOR;
  host_.abi_minor = KUPHOST_ABI_MINOR;
  host_.name = kup_str{"kuphost", 7};
  host_.version = kup_str{KUPHOST_VERSION, sizeof(KUPHOST_VERSION) - 1};
  host_.host_ctx = this;
  host_.get_service = &PluginHost::get_service;
  host_.find_extension = &PluginHost::find_extension;

  log_ = {sizeof log_, this, &PluginHost::log_enabled, &PluginHost::log_write};
  exec_ = {sizeof exec_, this, &PluginHost::exec_run};
  config_ = {sizeof config_, this, &PluginHost::config_section, &PluginHost::config_value};
  facts_ = {sizeof facts_, this, &PluginHost::facts_get};
  state_ = {sizeof state_, this, &PluginHost::state_set, &PluginHost::state_get,
            &PluginHost::state_set_shared, &PluginHost::state_get_shared};
  fs_ = {sizeof fs_,     this,     &PluginHost::fs_resolve,   &PluginHost::fs_stat,
         &PluginHost::fs_read, &PluginHost::fs_write, &PluginHost::fs_make_dirs, &PluginHost::fs_list};
  clock_ = {sizeof clock_, this, &PluginHost::clock_now, &PluginHost::clock_monotonic,
            &PluginHost::clock_sleep};
}

const void *PluginHost::get_service(const kup_host *self, kup_str id) {
  auto *h = static_cast<PluginHost *>(self->host_ctx);
  const std::string name = sv(id);
  if (name == KUP_SERVICE_LOG_V1) return &h->log_;
  if (name == KUP_SERVICE_EXEC_V1) return &h->exec_;
  if (name == KUP_SERVICE_CONFIG_V1) return &h->config_;
  if (name == KUP_SERVICE_FACTS_V1) return &h->facts_;
  if (name == KUP_SERVICE_STATE_V1) return &h->state_;
  if (name == KUP_SERVICE_FS_V1) return &h->fs_;
  if (name == KUP_SERVICE_CLOCK_V1) return &h->clock_;
  return nullptr;
}

const void *PluginHost::find_extension(const kup_host *self, kup_str id, const kup_sink *provider) {
  auto *h = static_cast<PluginHost *>(self->host_ctx);
  if (!h->lookup_) return nullptr;
  std::string who;
  const void *table = h->lookup_(sv(id), &who);
  if (table) write_sink(provider, who);
  return table;
}

// ---- log ----
int32_t PluginHost::log_enabled(const kup_log_service *, int32_t level) {
  return logging::enabled(level) ? 1 : 0;
}

void PluginHost::log_write(const kup_log_service *self, int32_t level, kup_str message) {
  const std::string text = sv(message);
  if (starts_with(text, "[")) logging::write(level, text);
  else logging::write(level, me(self)->env_.log_prefix() + " " + text);
}

// ---- exec ----
kup_status PluginHost::exec_run(const kup_exec_service *self, const kup_exec_request *request,
                                kup_exec_result *result, const kup_error *error) {
  kup_exec_request req;
  if (!read_struct(request, KUP_EXEC_REQUEST_MIN_SIZE, &req) || req.argc == 0 || !req.argv)
    return set_error(error, KUP_E_INVALID_ARGUMENT, "exec request without argv or with a too small struct_size");
  return me(self)->exec(req, result, error);
}

kup_status PluginHost::exec(const kup_exec_request &req, kup_exec_result *result, const kup_error *error) {
  Command cmd;
  for (size_t i = 0; i < req.argc; ++i) cmd.argv.push_back(sv(req.argv[i]));
  for (size_t i = 0; req.env && i < req.env_count; ++i) cmd.env.push_back(sv(req.env[i]));
  if (req.stdin_data.ptr)
    cmd.stdin_data.assign(reinterpret_cast<const char *>(req.stdin_data.ptr), req.stdin_data.len);
  cmd.timeout = std::chrono::milliseconds(req.timeout_ms ? req.timeout_ms : env_.default_timeout_ms);
  const bool read_only = (req.flags & KUP_EXEC_READ_ONLY) != 0;
  const std::string shown = quote_argv(cmd.argv);
  kup_exec_result res{};
  res.struct_size = sizeof res;
  res.exit_code = -1;

  if (!read_only && env_.mode == RunMode::kPlan) {
    write_struct(res, result);
    return refuse_change("run `" + shown + "`", error);
  }
  if (!read_only && env_.mode == RunMode::kDryRun) {
    logging::write(KUP_LOG_INFO, "[dryrun] Would run: " + shown);
    env_.note_would_change("run: " + shown);
    res.exit_code = 0;
    res.flags = KUP_EXEC_NOT_RUN;
    write_struct(res, result);
    return KUP_OK;
  }
  logging::write(KUP_LOG_DEBUG, env_.log_prefix() + " Running: " + shown);
  const bool stream = (req.flags & KUP_EXEC_STREAM) != 0;
  const int level = stream ? KUP_LOG_INFO : KUP_LOG_TRACE;
  cmd.on_stdout_line = [level](std::string_view line) { logging::write(level, std::string(line)); };
  cmd.on_stderr_line = cmd.on_stdout_line;
  const CommandResult r = env_.runner.run(cmd);
  env_.commands += 1;
  env_.command_ms += static_cast<uint64_t>(r.duration.count());
  res.exit_code = r.exit_code;
  res.term_signal = r.term_signal;
  res.flags = r.timed_out ? KUP_EXEC_TIMED_OUT : 0u;
  res.duration_ms = static_cast<uint32_t>(r.duration.count());
  write_struct(res, result);
  write_sink(req.stdout_sink, r.out);
  write_sink(req.stderr_sink, r.err);
  if (!r.started)
    return set_error(error, KUP_E_NOT_FOUND, "cannot run `" + shown + "`: " + r.spawn_error);
  if (r.timed_out)
    return set_error(error, KUP_E_TIMEOUT,
                     "`" + shown + "` timed out after " + std::to_string(cmd.timeout.count() / 1000) + "s",
                     r.err);
  if (r.term_signal)
    return set_error(error, KUP_E_COMMAND_FAILED,
                     "`" + shown + "` was killed by signal " + std::to_string(r.term_signal), r.err);
  if (r.exit_code != 0) {
    std::string why = last_line(r.err);
    if (why.empty()) why = last_line(r.out);
    return set_error(error, KUP_E_COMMAND_FAILED,
                     "`" + shown + "` exited with " + std::to_string(r.exit_code) +
                         (why.empty() ? std::string() : ": " + why),
                     r.err);
  }
  return KUP_OK;
}

kup_status PluginHost::refuse_change(const std::string &what, const kup_error *error) {
  const std::string during = env_.command.empty()
                                 ? std::string(" while planning; plan must only read")
                                 : " during read-only command '" + env_.command + "', which must only read";
  const std::string msg = "plugin " + plugin_.id + " tried to " + what + during +
                          " (mark read-only commands KUP_EXEC_READ_ONLY)";
  logging::write(KUP_LOG_WARNING, "[plugins] " + msg);
  return set_error(error, KUP_E_INVALID_ARGUMENT, msg);
}

// ---- config ----
kup_status PluginHost::config_section(const kup_config_service *self, const kup_sink *out) {
  PluginHost *h = me(self);
  const YAML::Node section = h->env_.config.section_for(h->plugin_);
  if (section && !section.IsNull()) {
    YAML::Emitter e;
    e << section;
    write_sink(out, std::string(e.c_str()) + "\n");
  }
  return KUP_OK;
}

kup_status PluginHost::config_value(const kup_config_service *self, kup_str key, const kup_sink *out) {
  PluginHost *h = me(self);
  const std::string k = sv(key);
  if (auto v = kuphost::config_value(h->env_.config.section_for(h->plugin_), k)) {
    write_sink(out, *v);
    return KUP_OK;
  }
  for (const auto &declared : h->plugin_.config_keys)
    if (declared.name == k && !declared.default_value.empty()) {
      write_sink(out, declared.default_value);
      return KUP_OK;
    }
  return KUP_E_NOT_FOUND;
}

// ---- facts ----
kup_status PluginHost::facts_get(const kup_facts_service *self, kup_str key, const kup_sink *out) {
  PluginHost *h = me(self);
  const std::string k = sv(key);
  if (k == "k8s.target.version") {
    if (h->env_.target.empty()) return KUP_E_NOT_FOUND;
    write_sink(out, h->env_.target);
    return KUP_OK;
  }
  if (k == "run.phases") {  // the composed phases, so a plugin can leave a job to another
    if (!h->env_.composition) return KUP_E_NOT_FOUND;
    std::string ids;
    for (const auto &pp : h->env_.composition->phases)
      ids += (ids.empty() ? "" : ",") + pp.phase->qualified_id();
    write_sink(out, ids);
    return KUP_OK;
  }
  if (k == "run.scratch-dir") {
    if (h->env_.scratch_dir.empty()) return KUP_E_NOT_FOUND;
    write_sink(out, h->env_.scratch_dir);
    return KUP_OK;
  }
  // Free space is read when asked, so that it is current (FreeDiskSpace).
  if (const std::string_view prefix = "fs.available-bytes:"; k.rfind(prefix, 0) == 0) {
    const auto mapped = h->env_.root.map(k.substr(prefix.size()));
    struct statvfs st {};
    if (!mapped || ::statvfs(mapped->c_str(), &st) != 0) return KUP_E_NOT_FOUND;
    write_sink(out, std::to_string(static_cast<uint64_t>(st.f_bavail) * st.f_frsize));
    return KUP_OK;
  }
  const auto facts = h->env_.facts.as_map();
  auto it = facts.find(k);
  if (it == facts.end()) return KUP_E_NOT_FOUND;
  write_sink(out, it->second);
  return KUP_OK;
}

// ---- state ----
kup_status PluginHost::store(std::string *slot, kup_bytes value, const kup_error *error) {
  *slot = std::string(reinterpret_cast<const char *>(value.ptr), value.ptr ? value.len : 0);
  try {
    env_.save_run();
  } catch (const std::exception &e) {
    return set_error(error, KUP_E_IO, e.what());
  }
  return KUP_OK;
}

kup_status PluginHost::state_set(const kup_state_service *self, kup_str key, kup_bytes value,
                                 const kup_error *error) {
  PluginHost *h = me(self);
  if (!h->env_.run) return set_error(error, KUP_E_INVALID_ARGUMENT, "no run to record state in");
  return h->store(&h->env_.run->plugin_state[h->plugin_.id][sv(key)], value, error);
}

kup_status PluginHost::state_set_shared(const kup_state_service *self, kup_str key, kup_bytes value,
                                        const kup_error *error) {
  PluginHost *h = me(self);
  if (!h->env_.run) return set_error(error, KUP_E_INVALID_ARGUMENT, "no run to record state in");
  return h->store(&h->env_.run->shared_state[sv(key)], value, error);
}

kup_status PluginHost::state_get_shared(const kup_state_service *self, kup_str key, const kup_sink *out) {
  PluginHost *h = me(self);
  if (!h->env_.run) return KUP_E_NOT_FOUND;
  auto v = h->env_.run->shared_state.find(sv(key));
  if (v == h->env_.run->shared_state.end()) return KUP_E_NOT_FOUND;
  write_sink(out, v->second);
  return KUP_OK;
}

kup_status PluginHost::state_get(const kup_state_service *self, kup_str key, const kup_sink *out) {
  PluginHost *h = me(self);
  if (!h->env_.run) return KUP_E_NOT_FOUND;
  auto p = h->env_.run->plugin_state.find(h->plugin_.id);
  if (p == h->env_.run->plugin_state.end()) return KUP_E_NOT_FOUND;
  auto v = p->second.find(sv(key));
  if (v == p->second.end()) return KUP_E_NOT_FOUND;
  write_sink(out, v->second);
  return KUP_OK;
}

// ---- fs ----
kup_status PluginHost::fs_resolve(const kup_fs_service *self, kup_str path, const kup_sink *out) {
  auto mapped = me(self)->env_.root.map(sv(path));
  if (!mapped) return KUP_E_INVALID_ARGUMENT;
  write_sink(out, mapped->string());
  return KUP_OK;
}

kup_status PluginHost::fs_stat(const kup_fs_service *self, kup_str path, kup_file_info *info) {
  auto mapped = me(self)->env_.root.map(sv(path));
  if (!mapped) return KUP_E_INVALID_ARGUMENT;
  const FileStat st = me(self)->env_.fs.stat(*mapped);
  kup_file_info fi{};
  fi.struct_size = sizeof fi;
  fi.type = st.type == FileStat::Type::kMissing     ? KUP_FILE_MISSING
            : st.type == FileStat::Type::kRegular   ? KUP_FILE_REGULAR
            : st.type == FileStat::Type::kDirectory ? KUP_FILE_DIRECTORY
                                                    : KUP_FILE_OTHER;
  fi.mode = st.mode;
  fi.size = st.size;
  write_struct(fi, info);
  return st.type == FileStat::Type::kMissing ? KUP_E_NOT_FOUND : KUP_OK;
}

kup_status PluginHost::fs_read(const kup_fs_service *self, kup_str path, const kup_sink *out,
                               const kup_error *error) {
  auto mapped = me(self)->env_.root.map(sv(path));
  if (!mapped) return set_error(error, KUP_E_INVALID_ARGUMENT, "not an absolute node path: " + sv(path));
  std::string data, err;
  if (!me(self)->env_.fs.read(*mapped, &data, &err))
    return set_error(error, me(self)->env_.fs.stat(*mapped).type == FileStat::Type::kMissing
                                ? KUP_E_NOT_FOUND
                                : KUP_E_IO,
                     err);
  write_sink(out, data);
  return KUP_OK;
}

kup_status PluginHost::fs_write(const kup_fs_service *self, kup_str path, kup_bytes data,
                                uint32_t mode, const kup_error *error) {
  return me(self)->write_file(
      sv(path), std::string(reinterpret_cast<const char *>(data.ptr), data.ptr ? data.len : 0), mode,
      error);
}

bool PluginHost::backup_before_write(const std::string &node_path, std::string *err) {
  JournalRun *run = env_.run;
  if (!run) return true;
  for (const auto &b : run->file_backups)
    if (b.node_path == node_path) return true;  // the first version of this run is kept
  const auto host_path = *env_.root.map(node_path);
  FileBackup backup{node_path, ""};
  const FileStat st = env_.fs.stat(host_path);
  if (st.type == FileStat::Type::kRegular) {
    std::string old;
    backup.backup_path = "/var/lib/kuphost/backups/" + run->id + node_path;
    const auto dest = *env_.root.map(backup.backup_path);
    if (!env_.fs.read(host_path, &old, err) || !env_.fs.make_dirs(dest.parent_path(), 0700, err) ||
        !env_.fs.write_atomic(dest, old, st.mode, err))
      return false;
  }
  run->file_backups.push_back(backup);
  env_.save_run();
  return true;
}

kup_status PluginHost::write_file(const std::string &path, const std::string &data, uint32_t mode,
                                  const kup_error *error) {
  auto mapped = env_.root.map(path);
  if (!mapped) return set_error(error, KUP_E_INVALID_ARGUMENT, "not an absolute node path: " + path);
  std::string err;
  // The host removes the scratch directory itself: nothing there needs a backup.
  if (env_.in_scratch(path)) {
    if (!env_.fs.make_dirs(mapped->parent_path(), 0755, &err) || !env_.fs.write_atomic(*mapped, data, mode, &err))
      return set_error(error, KUP_E_IO, err);
    return KUP_OK;
  }
  if (env_.mode == RunMode::kPlan) return refuse_change("write " + path, error);
  if (env_.mode == RunMode::kDryRun) {
    char m[8];
    std::snprintf(m, sizeof m, "%04o", mode & 07777);
    logging::write(KUP_LOG_INFO, "[dryrun] Would write " + path + " (" + std::to_string(data.size()) +
                                     " bytes, mode " + m + ")");
    env_.note_would_change("write: " + path);
    return KUP_OK;
  }
  try {
    if (!backup_before_write(path, &err))
      return set_error(error, KUP_E_IO, "cannot back up " + path + " before replacing it: " + err);
  } catch (const std::exception &e) {
    return set_error(error, KUP_E_IO, e.what());
  }
  if (!env_.fs.make_dirs(mapped->parent_path(), 0755, &err) ||
      !env_.fs.write_atomic(*mapped, data, mode, &err))
    return set_error(error, KUP_E_IO, err);
  logging::write(KUP_LOG_DEBUG, env_.log_prefix() + " Wrote " + path);
  return KUP_OK;
}

kup_status PluginHost::fs_make_dirs(const kup_fs_service *self, kup_str path, uint32_t mode,
                                    const kup_error *error) {
  PluginHost *h = me(self);
  auto mapped = h->env_.root.map(sv(path));
  if (!mapped) return set_error(error, KUP_E_INVALID_ARGUMENT, "not an absolute node path: " + sv(path));
  if (h->env_.fs.stat(*mapped).type == FileStat::Type::kDirectory) return KUP_OK;
  if (h->env_.mode == RunMode::kPlan && !h->env_.in_scratch(sv(path)))
    return h->refuse_change("create " + sv(path), error);
  if (h->env_.mode == RunMode::kDryRun && !h->env_.in_scratch(sv(path))) {
    logging::write(KUP_LOG_INFO, "[dryrun] Would create directory " + sv(path));
    h->env_.note_would_change("mkdir: " + sv(path));
    return KUP_OK;
  }
  std::string err;
  if (!h->env_.fs.make_dirs(*mapped, mode, &err)) return set_error(error, KUP_E_IO, err);
  return KUP_OK;
}

kup_status PluginHost::fs_list(const kup_fs_service *self, kup_str path, const kup_sink *out,
                               const kup_error *error) {
  auto mapped = me(self)->env_.root.map(sv(path));
  if (!mapped) return set_error(error, KUP_E_INVALID_ARGUMENT, "not an absolute node path: " + sv(path));
  std::vector<std::string> names;
  std::string err;
  if (!me(self)->env_.fs.list(*mapped, &names, &err))
    return set_error(error, me(self)->env_.fs.stat(*mapped).type == FileStat::Type::kMissing
                                ? KUP_E_NOT_FOUND
                                : KUP_E_IO,
                     err);
  write_sink(out, join(names, "\n"));
  return KUP_OK;
}

// ---- clock ----
int64_t PluginHost::clock_now(const kup_clock_service *self) { return me(self)->env_.clock.now_unix_ms(); }
int64_t PluginHost::clock_monotonic(const kup_clock_service *self) {
  return me(self)->env_.clock.monotonic_ms();
}
kup_status PluginHost::clock_sleep(const kup_clock_service *self, uint32_t ms) {
  return me(self)->env_.clock.sleep_ms(ms) ? KUP_OK : KUP_E_CANCELLED;
}

}  // namespace kuphost
