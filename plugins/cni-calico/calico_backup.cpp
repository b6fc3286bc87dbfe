#include "calico_backup.h"

#include <sstream>

#include "calico_backup_set.h"
#include "manifest_objects.h"
#include "release_bundle.h"
#include "support/text.hpp"
#include "support/utc_stamp.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

constexpr uint32_t kApplyTimeoutMs = 5 * 60 * 1000;

std::string base_name(const std::string &path) { return path.substr(path.rfind('/') + 1); }

std::string manifest_line(const std::string &node_path, const std::string &data) {
  return "0600 " + sha256_hex(data) + " " + node_path + "\n";
}

}  // namespace

std::string backup_name(int64_t now_unix) { return "kuphost-backup-calico-" + utc_stamp(now_unix); }

std::vector<std::string> apply_argv(const kup::Host &host, const std::string &node_file) {
  return kubectl({"apply", "--server-side", "--force-conflicts", "-f", node_file == "-" ? node_file : host.resolve(node_file)});
}

void apply_manifest(const kup::Host &host, const std::string &node_file, const std::string &stdin_data) {
  kup::ExecOptions opt;
  opt.check = false;
  opt.stream = true;
  opt.timeout_ms = kApplyTimeoutMs;
  opt.stdin_data = stdin_data;
  const kup::ExecResult r = host.run(apply_argv(host, node_file), opt);
  if (r.exit_code == 0 && !r.timed_out) return;
  const std::string why = last_line_of(r.err.empty() ? r.out : r.err);
  throw kup::Error(KUP_E_COMMAND_FAILED,
                   "kubectl apply --server-side -f " + node_file + " failed: " +
                       (why.empty() ? "exit code " + std::to_string(r.exit_code) : why),
                   r.err);
}

std::string describe_backup(const std::string &record) {
  return record.starts_with(kInSetPrefix) ? "the backup set " + record.substr(kInSetPrefix.size()) : record;
}

namespace {

// Attaches the copies, then previous.yaml: its presence means the rest is there.
bool write_into_set(const kup::Host &host, const kup_backup_set *table, const std::string &stream,
                    const std::vector<std::pair<std::string, std::string>> &copies, CalicoBackup &backup,
                    const Progress &progress) {
  std::string why;
  const auto set = RunBackupSet::of(table, &why);
  if (!set) {
    if (table) progress("not keeping the backup in this run's backup set: " + why);
    return false;
  }
  try {
    for (const auto &[name, text] : copies) set->attach("applied/" + name, text, 0600);
    backup.previous_yaml = set->attach("previous.yaml", stream, 0600);
  } catch (const kup::Error &e) {
    host.warn(std::string("cni-calico: cannot keep the backup in the backup set ") + set->path() + " (" + e.what() +
              "); keeping it in " + kBackupParent + " instead");
    return false;
  }
  backup.record = std::string(kInSetPrefix) + set->path();
  return true;
}

}  // namespace

CalicoBackup write_backup(const kup::Host &host, const std::vector<std::string> &files, const Progress &progress,
                          const kup_backup_set *set) {
  CalicoBackup backup;
  std::vector<std::string> previous;
  std::vector<std::pair<std::string, std::string>> copies;  // name in applied/, content
  for (const auto &file : files) {
    const std::string text = host.read_file(file);
    copies.emplace_back(base_name(file), text);
    std::vector<ObjectRef> objects;
    try {
      objects = objects_in_manifest(text, file);
    } catch (const std::exception &e) {
      throw kup::Error(KUP_E_DECODE, std::string("cni-calico: nothing applied: ") + e.what());
    }
    for (const auto &object : objects) {
      ++backup.named;
      const auto live = kubectl_get(host, {"get", "-f", "-", "-o", "yaml", "--ignore-not-found"},
                                    KUP_E_COMMAND_FAILED, object.document);
      if (!live || live->empty()) continue;  // new in this release, or its kind is not served yet
      try {
        for (auto &doc : restorable_objects(*live)) previous.push_back(std::move(doc));
      } catch (const std::exception &e) {
        throw kup::Error(KUP_E_DECODE, "cni-calico: nothing applied: " + object.str() + ": " + e.what());
      }
    }
  }
  backup.objects = previous.size();
  const std::string stream = yaml_stream(previous);
  const std::string saved = "saved " + std::to_string(backup.objects) + " of the " + std::to_string(backup.named) +
                            " objects the new manifests name (the others do not exist yet) to ";
  if (write_into_set(host, set, stream, copies, backup, progress)) {
    progress(saved + backup.previous_yaml + " in " + describe_backup(backup.record));
    return backup;
  }
  std::string dir = std::string(kBackupParent) + "/" + backup_name(host.now_unix_ms() / 1000);
  for (int n = 1; host.stat(dir).exists(); ++n)  // two runs within one second
    dir = std::string(kBackupParent) + "/" + backup_name(host.now_unix_ms() / 1000) + "-" + std::to_string(n);
  host.make_dirs(dir + "/applied", 0700);
  std::string manifest = manifest_line(dir + "/previous.yaml", stream);
  host.write_file(dir + "/previous.yaml", stream, 0600);
  for (const auto &[name, text] : copies) {
    host.write_file(dir + "/applied/" + name, text, 0600);
    manifest += manifest_line(dir + "/applied/" + name, text);
  }
  host.write_file(dir + "/MANIFEST", manifest, 0600);  // last: a backup without it is incomplete
  backup.record = dir;
  backup.previous_yaml = dir + "/previous.yaml";
  progress(saved + backup.previous_yaml);
  return backup;
}

namespace {

// previous.yaml as the set gives it back, checked by the provider.
std::string previous_from_set(const std::string &set_path, const kup_backup_set *table) {
  std::string why;
  const auto set = RunBackupSet::of(table, &why);
  const std::string by_hand = "; re-apply " + set_path + ".attached/cni-calico/previous.yaml by hand";
  if (!set)
    throw kup::Error(KUP_E_NOT_FOUND, "cni-calico: the backup set " + set_path + " holding the saved objects cannot be read (" +
                                          why + ")" + by_hand);
  if (set->path() != set_path)
    throw kup::Error(KUP_E_NOT_FOUND, "cni-calico: this run's backup set is now " + set->path() + ", not " + set_path +
                                          " where the saved objects are" + by_hand);
  try {
    return set->read("previous.yaml");
  } catch (const kup::Error &e) {
    throw kup::Error(e.code(), std::string("cni-calico: ") + e.what() + by_hand);
  }
}

// The directory backup's previous.yaml, checked against its MANIFEST.
std::string previous_from_directory(const kup::Host &host, const std::string &dir) {
  const std::string previous = dir + "/previous.yaml";
  if (!host.stat(dir + "/MANIFEST").exists())
    throw kup::Error(KUP_E_NOT_FOUND, "cni-calico: the backup " + dir + " has no MANIFEST; it is incomplete");
  std::istringstream lines(host.read_file(dir + "/MANIFEST"));
  std::string mode, sha, path, recorded;
  while (lines >> mode >> sha >> path)
    if (path == previous) recorded = sha;
  const std::string text = host.stat(previous).exists() ? host.read_file(previous) : std::string();
  if (recorded.empty() || sha256_hex(text) != recorded)
    throw kup::Error(KUP_E_IO, "cni-calico: " + previous + " does not match its SHA-256 in " + dir +
                                   "/MANIFEST; re-apply it by hand after checking it");
  return text;
}

}  // namespace

size_t reapply_backup(const kup::Host &host, const std::string &record, const Progress &progress,
                      const kup_backup_set *set) {
  const bool in_set = record.starts_with(kInSetPrefix);
  const std::string text = in_set ? previous_from_set(record.substr(kInSetPrefix.size()), set)
                                  : previous_from_directory(host, record);
  const std::string label = in_set ? "previous.yaml of " + describe_backup(record) : record + "/previous.yaml";
  const size_t objects = objects_in_manifest(text, label).size();
  if (objects == 0) {
    progress("nothing to re-apply: the new manifests named no object that existed before");
    return 0;
  }
  progress("re-applying the " + std::to_string(objects) + " objects saved in " + label);
  // From a set, through stdin: an encrypted set's objects never lie on disk in plaintext.
  if (in_set) apply_manifest(host, "-", text);
  else apply_manifest(host, label);
  return objects;
}

}  // namespace kuphost_plugins::cni_calico
