#include "calico_backup.h"

#include <ctime>
#include <sstream>

#include "manifest_objects.h"
#include "release_bundle.h"
#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

constexpr uint32_t kApplyTimeoutMs = 5 * 60 * 1000;

std::string base_name(const std::string &path) { return path.substr(path.rfind('/') + 1); }

std::string manifest_line(const std::string &node_path, const std::string &data) {
  return "0600 " + sha256_hex(data) + " " + node_path + "\n";
}

}  // namespace

std::string backup_name(int64_t now_unix) {
  const std::time_t t = static_cast<std::time_t>(now_unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d-%H-%M-%S", &tm);
  return std::string("kuphost-backup-calico-") + stamp;
}

std::vector<std::string> apply_argv(const kup::Host &host, const std::string &node_file) {
  return kubectl({"apply", "--server-side", "--force-conflicts", "-f", host.resolve(node_file)});
}

void apply_manifest(const kup::Host &host, const std::string &node_file) {
  kup::ExecOptions opt;
  opt.check = false;
  opt.stream = true;
  opt.timeout_ms = kApplyTimeoutMs;
  const kup::ExecResult r = host.run(apply_argv(host, node_file), opt);
  if (r.exit_code == 0 && !r.timed_out) return;
  const std::string why = last_line_of(r.err.empty() ? r.out : r.err);
  throw kup::Error(KUP_E_COMMAND_FAILED,
                   "kubectl apply --server-side -f " + node_file + " failed: " +
                       (why.empty() ? "exit code " + std::to_string(r.exit_code) : why),
                   r.err);
}

CalicoBackup write_backup(const kup::Host &host, const std::vector<std::string> &files, const Progress &progress) {
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
  std::string dir = std::string(kBackupParent) + "/" + backup_name(host.now_unix_ms() / 1000);
  for (int n = 1; host.stat(dir).exists(); ++n)  // two runs within one second
    dir = std::string(kBackupParent) + "/" + backup_name(host.now_unix_ms() / 1000) + "-" + std::to_string(n);
  host.make_dirs(dir + "/applied", 0700);
  const std::string stream = yaml_stream(previous);
  std::string manifest = manifest_line(dir + "/previous.yaml", stream);
  host.write_file(dir + "/previous.yaml", stream, 0600);
  for (const auto &[name, text] : copies) {
    host.write_file(dir + "/applied/" + name, text, 0600);
    manifest += manifest_line(dir + "/applied/" + name, text);
  }
  host.write_file(dir + "/MANIFEST", manifest, 0600);  // last: a backup without it is incomplete
  backup.dir = dir;
  progress("saved " + std::to_string(backup.objects) + " of the " + std::to_string(backup.named) +
           " objects the new manifests name (the others do not exist yet) to " + dir + "/previous.yaml");
  return backup;
}

size_t reapply_backup(const kup::Host &host, const std::string &dir, const Progress &progress) {
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
  const size_t objects = objects_in_manifest(text, previous).size();
  if (objects == 0) {
    progress("nothing to re-apply: the new manifests named no object that existed before");
    return 0;
  }
  progress("re-applying the " + std::to_string(objects) + " objects saved in " + previous);
  apply_manifest(host, previous);
  return objects;
}

}  // namespace kuphost_plugins::cni_calico
