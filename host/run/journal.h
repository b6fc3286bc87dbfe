// The run journal under <root>/var/lib/kuphost/: which phases of which run
// reached which state, plus the plugins' own state (kuphost.state/1) and the
// files the host backed up. Written atomically (temp, fsync, rename) on
// every transition, so `kuphost apply` after a crash resumes where it
// stopped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kuphost {

class FileSystem;

enum class PhaseState { kPending, kApplying, kApplied, kFailed, kRollingBack, kRolledBack, kRollbackFailed };
// kStopped: a phase failed and rollback stopped at a phase that cannot be
// undone (kubeadm upgrade apply); the next apply resumes from the failure.
// kFailed: a plugin command's run (runs/<id>.yaml) that failed; commands
// have no rollback.
enum class RunState { kRunning, kCompleted, kRollingBack, kRolledBack, kRollbackFailed, kStopped, kFailed };

std::string to_string(PhaseState s);
std::string to_string(RunState s);

struct JournalPhase {
  std::string id;  // "plugin/phase"
  PhaseState state = PhaseState::kPending;
  int attempts = 0;
  std::string outcome;  // changed | unchanged
  std::string summary, error;
  int64_t updated_unix_ms = 0;
};

// A file the host replaced through kuphost.fs/1, with where its previous
// content was kept.
struct FileBackup {
  std::string node_path;
  std::string backup_path;  // node path of the copy; empty when the file did not exist
};

struct JournalRun {
  std::string id;
  std::string target;  // "v1.31.2"
  std::string node;
  std::string command;  // a plugin command's words ("backup restore SET"); empty for an upgrade
  RunState state = RunState::kRunning;
  int64_t started_unix_ms = 0, finished_unix_ms = 0;
  std::vector<std::string> plugins;
  std::vector<JournalPhase> phases;
  // plugin id -> key -> value (bytes, stored base64)
  std::map<std::string, std::map<std::string, std::string>> plugin_state;
  std::map<std::string, std::string> shared_state;  // kuphost.state/1 set_shared, all plugins
  std::vector<FileBackup> file_backups;

  JournalPhase *phase(const std::string &id);
  const JournalPhase *phase(const std::string &id) const;
  bool finished() const;  // completed or rolled back (a new run may start)
};

class Journal {
 public:
  // `dir`: host path of <root>/var/lib/kuphost. `file_name`: relative to it;
  // plugin commands record their run in runs/<id>.yaml, next to archived
  // upgrades, so that they never touch an unfinished upgrade's journal.
  Journal(FileSystem &fs, std::filesystem::path dir, std::string file_name = "journal.yaml");
  const std::filesystem::path &dir() const { return dir_; }
  std::filesystem::path file() const { return dir_ / file_name_; }

  // Throws Failure(kInvalidInput) for a journal that cannot be parsed,
  // naming the file and what to do.
  std::optional<JournalRun> load();
  // Throws Failure(kFailed) when the write fails.
  void save(const JournalRun &run);
  // Moves the current journal to runs/<id>.yaml before a new run starts.
  void archive(const JournalRun &run);

 private:
  FileSystem &fs_;
  std::filesystem::path dir_;
  std::string file_name_;
};

}  // namespace kuphost
