#include "abi/plugin_runtime.h"

#include <algorithm>

#include "abi/status_text.h"
#include "services/logging.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace {

std::string sv(kup_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

// Host-owned sinks for one phase call; the C callbacks find this through
// host_ctx.
struct CallSinks {
  PhaseCallResult *result = nullptr;
  RunEnv *env = nullptr;
  bool echo = false;
  bool error_set = false;
  bool outcome_set = false;
  std::string pending;  // partial line

  void flush_line(const std::string &line) {
    result->lines.push_back(line);
    if (echo) logging::write(KUP_LOG_INFO, env->log_prefix() + " " + line);
  }
};

void KUP_ABI out_write(const kup_sink *self, const char *data, size_t len) {
  auto *s = static_cast<CallSinks *>(self->host_ctx);
  s->pending.append(data, len);
  size_t nl;
  while ((nl = s->pending.find('\n')) != std::string::npos) {
    s->flush_line(s->pending.substr(0, nl));
    s->pending.erase(0, nl + 1);
  }
}

void KUP_ABI error_set(const kup_error *self, kup_status code, kup_str message, kup_str details) {
  auto *s = static_cast<CallSinks *>(self->host_ctx);
  if (s->error_set) {
    logging::write(KUP_LOG_DEBUG, "[plugins] error set twice in one call; keeping the first");
    return;
  }
  s->error_set = true;
  s->result->status = code;
  s->result->message = sv(message);
  s->result->details = sv(details);
}


// A command's report goes straight to the operator's stdout, byte for byte:
// it may be a JSON or YAML document.
void KUP_ABI stream_write(const kup_sink *self, const char *data, size_t len) {
  static_cast<std::ostream *>(self->host_ctx)->write(data, static_cast<std::streamsize>(len));
}

void KUP_ABI set_outcome(const kup_phase_call *self, uint32_t outcome, kup_str summary) {
  auto *s = static_cast<CallSinks *>(self->host_ctx);
  if (s->outcome_set) return;
  s->outcome_set = true;
  s->result->outcome = outcome == KUP_OUTCOME_UNCHANGED ? KUP_OUTCOME_UNCHANGED : KUP_OUTCOME_CHANGED;
  s->result->summary = sv(summary);
}

}  // namespace

PluginRuntime::PluginRuntime(RunEnv &env) : env_(env) {}

PluginRuntime::~PluginRuntime() {
  for (auto it = initialized_.rbegin(); it != initialized_.rend(); ++it) {
    const LoadedPlugin *p = *it;
    if (p->descriptor.deinit) p->descriptor.deinit(contexts_[p]);
  }
}

const void *PluginRuntime::find_extension(const std::string &id, std::string *provider) {
  if (!composition_) return nullptr;
  auto it = composition_->extension_providers.find(id);
  if (it == composition_->extension_providers.end()) return nullptr;
  const LoadedPlugin *p = it->second;
  if (!p->descriptor.get_extension || !contexts_.count(p)) return nullptr;
  *provider = p->id;
  return p->descriptor.get_extension(contexts_[p], kup_str{id.data(), id.size()});
}

void PluginRuntime::init_all(const Composition &composition) {
  composition_ = &composition;
  std::vector<const LoadedPlugin *> order = composition.plugins;
  std::stable_partition(order.begin(), order.end(),
                        [](const LoadedPlugin *p) { return !p->extensions.empty(); });
  for (const LoadedPlugin *p : order) {
    auto host = std::make_unique<PluginHost>(
        env_, *p, [this](const std::string &id, std::string *who) { return find_extension(id, who); });
    void *ctx = nullptr;
    if (p->descriptor.init) {
      PhaseCallResult r;
      CallSinks sinks;
      sinks.result = &r;
      sinks.env = &env_;
      kup_error err{sizeof(kup_error), &sinks, &error_set};
      const kup_status st = p->descriptor.init(host->host(), &ctx, &err);
      if (st != KUP_OK) {
        const std::string why = r.message.empty() ? status_name(st) : r.message;
        throw Failure(st == KUP_E_INVALID_CONFIG ? ExitCode::kInvalidInput : ExitCode::kPluginError,
                      "plugin " + p->id + ": " + why);
      }
    }
    contexts_[p] = ctx;
    initialized_.push_back(p);
    hosts_.push_back(std::move(host));
  }
}

PhaseCallResult PluginRuntime::call_command(const CommandInfo &command, const std::vector<std::string> &args,
                                            uint32_t flags, uint32_t output, std::ostream &out_stream) {
  const LoadedPlugin *owner = nullptr;
  for (const LoadedPlugin *p : initialized_)
    if (p->id == command.plugin) owner = p;
  if (!owner) throw Failure(ExitCode::kPluginError, "plugin " + command.plugin + " is not initialized");
  PhaseCallResult r;
  CallSinks sinks;
  sinks.result = &r;
  sinks.env = &env_;
  std::vector<kup_str> words;
  for (const auto &a : args) words.push_back(kup_str{a.data(), a.size()});
  kup_sink out{sizeof(kup_sink), &out_stream, &stream_write};
  kup_error err{sizeof(kup_error), &sinks, &error_set};
  kup_command_call call{};
  call.struct_size = sizeof call;
  call.host_ctx = &sinks;
  call.command = kup_str{command.name.data(), command.name.size()};
  call.args = words.empty() ? nullptr : words.data();
  call.arg_count = static_cast<uint32_t>(words.size());
  call.flags = flags;
  call.output = output;
  call.out = &out;
  call.error = &err;

  const kup_status st = command.run(contexts_.at(owner), &call);
  out_stream.flush();
  if (st == KUP_OK && sinks.error_set) {
    logging::write(KUP_LOG_WARNING, "[plugins] command " + command.name + " of " + command.plugin +
                                        " reported an error but returned ok; treating it as failed");
    if (r.status == KUP_OK) r.status = KUP_E_INTERNAL;
  } else {
    r.status = st;
  }
  if (r.status != KUP_OK && r.message.empty())
    r.message = "command " + command.name + " of plugin " + command.plugin + " failed (" +
                status_name(r.status) + ") without a message";
  return r;
}

PhaseCallResult PluginRuntime::call(const PlannedPhase &pp, kup_phase_fn fn, uint32_t flags, bool echo) {
  PhaseCallResult r;
  CallSinks sinks;
  sinks.result = &r;
  sinks.env = &env_;
  sinks.echo = echo;
  kup_sink out{sizeof(kup_sink), &sinks, &out_write};
  kup_error err{sizeof(kup_error), &sinks, &error_set};
  kup_phase_call call{};
  call.struct_size = sizeof call;
  call.host_ctx = &sinks;
  call.phase_id = kup_str{pp.phase->id.data(), pp.phase->id.size()};
  call.target_version = kup_str{env_.target.data(), env_.target.size()};
  call.flags = flags;
  call.out = &out;
  call.error = &err;
  call.set_outcome = &set_outcome;

  env_.stage = static_cast<int>(pp.phase->stage);
  const kup_status st = fn(contexts_.at(pp.plugin), &call);
  if (!sinks.pending.empty()) sinks.flush_line(sinks.pending);

  if (st == KUP_OK && sinks.error_set) {
    logging::write(KUP_LOG_WARNING, "[plugins] " + pp.phase->qualified_id() +
                                        " reported an error but returned ok; treating it as failed");
    if (r.status == KUP_OK) r.status = KUP_E_INTERNAL;
  } else {
    r.status = st;
  }
  if (r.status != KUP_OK && r.message.empty())
    r.message = pp.phase->qualified_id() + " failed (" + status_name(r.status) + ") without a message";
  return r;
}

}  // namespace kuphost
