#include "run/journal.h"

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include "services/file_system.h"
#include "support/failure.h"

namespace kuphost {
namespace {

const std::pair<PhaseState, const char *> kPhaseStates[] = {
    {PhaseState::kPending, "pending"},         {PhaseState::kApplying, "applying"},
    {PhaseState::kApplied, "applied"},         {PhaseState::kFailed, "failed"},
    {PhaseState::kRollingBack, "rolling-back"}, {PhaseState::kRolledBack, "rolled-back"},
    {PhaseState::kRollbackFailed, "rollback-failed"}};
const std::pair<RunState, const char *> kRunStates[] = {
    {RunState::kRunning, "running"},          {RunState::kCompleted, "completed"},
    {RunState::kRollingBack, "rolling-back"}, {RunState::kRolledBack, "rolled-back"},
    {RunState::kRollbackFailed, "rollback-failed"}, {RunState::kStopped, "stopped"},
    {RunState::kFailed, "failed"}};

template <class E, size_t N>
E parse_enum(const std::pair<E, const char *> (&table)[N], const std::string &text) {
  for (const auto &[e, name] : table)
    if (text == name) return e;
  throw YAML::Exception(YAML::Mark::null_mark(), "unknown state '" + text + "'");
}

std::string base64(const std::string &bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string unbase64(const std::string &text) {
  std::string out(3 * (text.size() / 4) + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw YAML::Exception(YAML::Mark::null_mark(), "bad base64 in plugin state");
  size_t pad = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

}  // namespace

std::string to_string(PhaseState s) {
  for (const auto &[e, name] : kPhaseStates)
    if (e == s) return name;
  return "?";
}

std::string to_string(RunState s) {
  for (const auto &[e, name] : kRunStates)
    if (e == s) return name;
  return "?";
}

JournalPhase *JournalRun::phase(const std::string &id) {
  for (auto &p : phases)
    if (p.id == id) return &p;
  return nullptr;
}

const JournalPhase *JournalRun::phase(const std::string &id) const {
  for (const auto &p : phases)
    if (p.id == id) return &p;
  return nullptr;
}

bool JournalRun::finished() const {
  return state == RunState::kCompleted || state == RunState::kRolledBack;
}

Journal::Journal(FileSystem &fs, std::filesystem::path dir, std::string file_name)
    : fs_(fs), dir_(std::move(dir)), file_name_(std::move(file_name)) {}

std::optional<JournalRun> Journal::load() {
  if (fs_.stat(file()).type == FileStat::Type::kMissing) return std::nullopt;
  std::string text, err;
  if (!fs_.read(file(), &text, &err)) fail_input(err);
  try {
    const YAML::Node y = YAML::Load(text);
    if (y["kuphost-journal"].as<int>() != 1)
      throw YAML::Exception(YAML::Mark::null_mark(), "unsupported journal version");
    JournalRun r;
    r.id = y["id"].as<std::string>();
    r.target = y["target"].as<std::string>();
    r.node = y["node"].as<std::string>("");
    r.command = y["command"].as<std::string>("");
    r.state = parse_enum(kRunStates, y["state"].as<std::string>());
    r.started_unix_ms = y["started-unix-ms"].as<int64_t>(0);
    r.finished_unix_ms = y["finished-unix-ms"].as<int64_t>(0);
    for (const auto &p : y["plugins"]) r.plugins.push_back(p.as<std::string>());
    for (const auto &p : y["phases"]) {
      JournalPhase jp;
      jp.id = p["id"].as<std::string>();
      jp.state = parse_enum(kPhaseStates, p["state"].as<std::string>());
      jp.attempts = p["attempts"].as<int>(0);
      jp.outcome = p["outcome"].as<std::string>("");
      jp.summary = p["summary"].as<std::string>("");
      jp.error = p["error"].as<std::string>("");
      jp.updated_unix_ms = p["updated-unix-ms"].as<int64_t>(0);
      r.phases.push_back(jp);
    }
    for (const auto &plugin : y["plugin-state"])
      for (const auto &kv : plugin.second)
        r.plugin_state[plugin.first.as<std::string>()][kv.first.as<std::string>()] =
            unbase64(kv.second.as<std::string>());
    for (const auto &kv : y["shared-state"])
      r.shared_state[kv.first.as<std::string>()] = unbase64(kv.second.as<std::string>());
    for (const auto &b : y["file-backups"])
      r.file_backups.push_back({b["path"].as<std::string>(), b["backup"].as<std::string>("")});
    return r;
  } catch (const YAML::Exception &e) {
    fail_input("the journal " + file().string() + " is unreadable (" + e.what() +
               "); move it aside to start a new run, after checking the node by hand");
  }
}

void Journal::save(const JournalRun &r) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "kuphost-journal" << YAML::Value << 1;
  out << YAML::Key << "id" << YAML::Value << r.id;
  out << YAML::Key << "target" << YAML::Value << r.target;
  out << YAML::Key << "node" << YAML::Value << r.node;
  if (!r.command.empty()) out << YAML::Key << "command" << YAML::Value << r.command;
  out << YAML::Key << "state" << YAML::Value << to_string(r.state);
  out << YAML::Key << "started-unix-ms" << YAML::Value << r.started_unix_ms;
  out << YAML::Key << "finished-unix-ms" << YAML::Value << r.finished_unix_ms;
  out << YAML::Key << "plugins" << YAML::Value << YAML::Flow << r.plugins;
  out << YAML::Key << "phases" << YAML::Value << YAML::BeginSeq;
  for (const auto &p : r.phases) {
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << p.id;
    out << YAML::Key << "state" << YAML::Value << to_string(p.state);
    out << YAML::Key << "attempts" << YAML::Value << p.attempts;
    if (!p.outcome.empty()) out << YAML::Key << "outcome" << YAML::Value << p.outcome;
    if (!p.summary.empty()) out << YAML::Key << "summary" << YAML::Value << p.summary;
    if (!p.error.empty()) out << YAML::Key << "error" << YAML::Value << p.error;
    out << YAML::Key << "updated-unix-ms" << YAML::Value << p.updated_unix_ms;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "plugin-state" << YAML::Value << YAML::BeginMap;
  for (const auto &[plugin, kv] : r.plugin_state) {
    out << YAML::Key << plugin << YAML::Value << YAML::BeginMap;
    for (const auto &[k, v] : kv) out << YAML::Key << k << YAML::Value << base64(v);
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  out << YAML::Key << "shared-state" << YAML::Value << YAML::BeginMap;
  for (const auto &[k, v] : r.shared_state) out << YAML::Key << k << YAML::Value << base64(v);
  out << YAML::EndMap;
  out << YAML::Key << "file-backups" << YAML::Value << YAML::BeginSeq;
  for (const auto &b : r.file_backups)
    out << YAML::BeginMap << YAML::Key << "path" << YAML::Value << b.node_path << YAML::Key
        << "backup" << YAML::Value << b.backup_path << YAML::EndMap;
  out << YAML::EndSeq;
  out << YAML::EndMap;
  std::string err;
  if (!fs_.make_dirs(file().parent_path(), 0700, &err) ||
      !fs_.write_atomic(file(), std::string(out.c_str()) + "\n", 0600, &err))
    throw Failure(ExitCode::kFailed, "cannot write the journal: " + err);
}

void Journal::archive(const JournalRun &r) {
  std::string err;
  const auto runs = dir_ / "runs";
  if (!fs_.make_dirs(runs, 0700, &err) || !fs_.rename(file(), runs / (r.id + ".yaml"), &err))
    throw Failure(ExitCode::kFailed, "cannot archive the journal: " + err);
}

}  // namespace kuphost
