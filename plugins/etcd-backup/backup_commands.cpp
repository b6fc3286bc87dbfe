#include "backup_commands.h"

#include <cstdio>
#include <sstream>

#include "backup_set/backup_set.h"
#include "core/attached_files.h"
#include "core/backup_catalog.h"
#include "core/free_space.h"
#include "core/set_packing.h"
#include "host_command_runner.h"
#include "support/text.hpp"

namespace kuphost_plugins::etcd_backup {
namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else out += c;
  }
  return out + "\"";
}

std::string revision_text(const BackupEntry &e) {
  if (!e.description || e.description->revision < 0) return "-";
  return std::to_string(e.description->revision);
}

std::string status_text(const BackupEntry &e) {
  if (!e.complete) return "INCOMPLETE";
  return e.packed ? (e.name.suffix.find(".kenc") != std::string::npos ? "encrypted" : "archive") : "complete";
}

std::string json_list(const std::vector<std::string> &items) {
  std::string json = "[";
  for (const auto &item : items) json += (json.size() > 1 ? "," : "") + json_string(item);
  return json + "]";
}

void list(const kup::Host &host, const BackupSettings &s, const kup::CommandCall &call) {
  const PathResolver resolve = node_paths(host);
  const auto all = list_backups(resolve, s.directory, kKubeadmTmp);
  // "<plugin>/<name>" of the files other plugins attached to each set.
  const auto attached = [&](const BackupEntry &e) {
    return e.attached ? attached_names(resolve, e.node_path) : std::vector<std::string>();
  };
  if (call.output() == 1) {
    std::string json = "{\"directory\":" + json_string(s.directory) + ",\"backups\":[";
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto &e = all[i];
      json += std::string(i ? "," : "") + "{\"name\":" + json_string(e.name.stem + e.name.suffix) +
              ",\"path\":" + json_string(e.node_path) + ",\"complete\":" + (e.complete ? "true" : "false") +
              ",\"packed\":" + (e.packed ? "true" : "false") + ",\"bytes\":" + std::to_string(e.bytes) +
              ",\"revision\":" + (revision_text(e) == "-" ? "null" : revision_text(e)) +
              ",\"etcdCopy\":" + (e.etcd_copy ? json_string(*e.etcd_copy) : "null") +
              ",\"manifestsCopy\":" + (e.manifests_copy ? json_string(*e.manifests_copy) : "null") +
              ",\"attachedDir\":" + (e.attached ? json_string(*e.attached) : "null") +
              ",\"attached\":" + json_list(attached(e)) + "}";
    }
    call.out(json + "]}");
    return;
  }
  if (call.output() == 2) {
    call.out("directory: " + s.directory);
    call.out(all.empty() ? "backups: []" : "backups:");
    for (const auto &e : all) {
      call.out("- name: " + e.name.stem + e.name.suffix);
      call.out("  path: " + e.node_path);
      call.out(std::string("  complete: ") + (e.complete ? "true" : "false"));
      call.out(std::string("  packed: ") + (e.packed ? "true" : "false"));
      call.out("  bytes: " + std::to_string(e.bytes));
      call.out("  revision: " + (revision_text(e) == "-" ? std::string("null") : revision_text(e)));
      call.out("  etcdCopy: " + e.etcd_copy.value_or("null"));
      call.out("  manifestsCopy: " + e.manifests_copy.value_or("null"));
      call.out("  attachedDir: " + e.attached.value_or("null"));
      const auto names = attached(e);
      call.out(names.empty() ? "  attached: []" : "  attached:");
      for (const auto &name : names) call.out("  - " + name);
    }
    return;
  }
  if (all.empty()) {
    call.out("no backups in " + s.directory);
    return;
  }
  char line[512];
  std::snprintf(line, sizeof line, "%-44s %-11s %10s %10s  %s", "NAME", "STATUS", "SIZE", "REVISION",
                "KUBEADM-LAYOUT COPIES");
  call.out(line);
  for (const auto &e : all) {
    std::vector<std::string> copies;
    if (e.etcd_copy) copies.push_back(*e.etcd_copy);
    if (e.manifests_copy) copies.push_back(*e.manifests_copy);
    std::snprintf(line, sizeof line, "%-44s %-11s %10s %10s  %s", (e.name.stem + e.name.suffix).c_str(),
                  status_text(e).c_str(), human_bytes(e.bytes).c_str(), revision_text(e).c_str(),
                  copies.empty() ? "-" : join(copies, ", ").c_str());
    call.out(line);
    if (const auto names = attached(e); !names.empty()) call.out("  attached in " + *e.attached + ": " + join(names, ", "));
  }
}

// Verifies one directory set; returns its problems as lines.
std::vector<std::string> verify_directory(const PathResolver &resolve, const std::string &node_path,
                                          std::size_t *entries) {
  std::vector<std::string> problems;
  const VerifyReport report = verify_set(resolve(node_path));
  for (const auto &p : report.problems) problems.push_back(node_path + ": " + describe(p));
  if (report.ok() && entries)
    if (auto m = read_manifest(real_file_system(), resolve(node_path))) *entries += m->entries.size();
  return problems;
}

void verify(const kup::Host &host, const BackupSettings &s, const kup::CommandCall &call, const std::string &name) {
  const PathResolver resolve = node_paths(host);
  BackupEntry e;
  try {
    e = find_backup(resolve, s.directory, kKubeadmTmp, name);
  } catch (const std::exception &error) {
    throw kup::Error(KUP_E_NOT_FOUND, error.what());
  }
  std::vector<std::string> problems;
  std::size_t entries = 0;
  if (!e.complete) {
    problems.push_back(e.node_path + ": incomplete (no " + std::string(kManifestName) +
                       "; the backup never finished)");
  } else if (e.packed) {
    try {
      const VerifyReport report = verify_packed_set(resolve, e.node_path, s.encryption_key_file);
      for (const auto &p : report.problems) problems.push_back(e.node_path + ": " + describe(p));
    } catch (const std::exception &error) {
      problems.push_back(e.node_path + ": " + error.what());
    }
  } else {
    problems = verify_directory(resolve, e.node_path, &entries);
  }
  for (const auto &companion : {e.etcd_copy, e.manifests_copy})
    if (companion)
      for (auto &p : verify_directory(resolve, *companion, &entries)) problems.push_back(std::move(p));
  if (e.complete)
    for (auto &p : verify_attached(resolve, e, s.encryption_key_file, &entries)) problems.push_back(std::move(p));
  for (const auto &p : problems) call.out(p);
  if (!problems.empty())
    throw kup::Error(KUP_E_DECODE, "backup " + e.name.stem + " failed verification: " +
                                       std::to_string(problems.size()) + " problem" +
                                       (problems.size() == 1 ? "" : "s") + " (listed above)");
  call.out("backup " + e.name.stem + e.name.suffix + " verified: " + std::to_string(entries) +
           " entries match their manifests" +
           (e.etcd_copy || e.manifests_copy ? " (with its kubeadm-layout copies)" : "") +
           (e.attached ? ", with the files attached in " + *e.attached : ""));
}

}  // namespace

void restore_backup(const kup::Host &host, const BackupSettings &s, const std::string &name, bool force, bool dry_run,
                    const std::function<void(const std::string &)> &progress) {
  const PathResolver resolve = node_paths(host);
  RestoreRequest r;
  try {
    r.backup = find_backup(resolve, s.directory, kKubeadmTmp, name);
  } catch (const std::exception &error) {
    throw kup::Error(KUP_E_NOT_FOUND, error.what());
  }
  r.backup_dir = s.directory;
  r.key_file = s.encryption_key_file;
  r.force = force;
  r.dry_run = dry_run;
  r.now = std::chrono::system_clock::time_point(std::chrono::milliseconds(host.now_unix_ms()));
  HostCommandRunner runner(host);
  try {
    run_restore(runner, resolve, host_waiting(host), r, progress);
  } catch (const RestoreRefused &e) {
    throw kup::Error(KUP_E_INVALID_ARGUMENT, "restore of " + r.backup.name.stem + " refused: " + e.what());
  } catch (const std::exception &e) {
    throw kup::Error(KUP_E_IO, "restore of " + r.backup.name.stem + " failed: " + e.what());
  }
}

void run_backup_command(const kup::Host &host, const BackupSettings &settings, const kup::CommandCall &call) {
  const auto args = call.args();
  const std::string verb = args.empty() ? "" : args[0];
  if (verb == "list" && args.size() == 1) return list(host, settings, call);
  if (verb == "verify" && args.size() <= 2) return verify(host, settings, call, args.size() == 2 ? args[1] : "");
  if (verb == "restore" && args.size() <= 2) {
    if (!call.dry_run() && !call.confirmed())
      throw kup::Error(KUP_E_INVALID_ARGUMENT,
                       "backup restore stops the control plane and replaces etcd's data: pass -y to confirm, or "
                       "--dry-run to see the steps");
    restore_backup(host, settings, args.size() == 2 ? args[1] : "", call.force(), call.dry_run(),
                   [&](const std::string &line) { call.out(line); });
    return;
  }
  throw kup::Error(KUP_E_INVALID_ARGUMENT, std::string("usage: kuphost ") + kBackupUsage);
}

}  // namespace kuphost_plugins::etcd_backup
