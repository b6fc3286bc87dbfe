#include "renew_workflow.h"

#include <kuphost/ext/backup_set.h>

#include <filesystem>

#include "host_files.h"
#include "inventory/go_text.h"
#include "renewal/pki_backup.h"
#include "renewal/pki_renewal.h"
#include "renewal/renew_certificate.h"
#include "restart/served_certificate.h"
#include "support/static_pod_flags.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::certs {
namespace {

// kuphost.state/1 keys of this plugin, so a rollback (or a rerun after a
// crash) finds what this run changed.
constexpr const char *kStateBackup = "renew/backup";          // "set <path>" or "dir <path>"
constexpr const char *kStateFiles = "renew/files";            // backup_manifest() of the old files
constexpr const char *kStateAside = "restart/aside";          // where manifests wait during a restart
constexpr const char *kStateComponents = "restart/components";  // space-separated
constexpr const char *kStateNames = "renew/names";            // the renewed check-expiration names, space-separated

constexpr const char *kApiserverCert = "/etc/kubernetes/pki/apiserver.crt";

RenewalSelection select(const ExpirationInventory &inventory, const CertsSettings &settings,
                        RenewalRequest request) {
  request.renew_before_seconds = settings.renew_before_seconds;
  return select_renewals(inventory, request);
}

void refuse_errors(const RenewalSelection &selection) {
  if (selection.errors.empty()) return;
  throw kup::Error(KUP_E_INVALID_ARGUMENT,
                   "certs: nothing renewed: " + join(selection.errors, "; "));
}

// Where this node's kube-apiserver answers: the host's fact when it knows
// better (the sandbox), else the manifest's --advertise-address and
// --secure-port (what kubeadm's advertise-address.endpoint annotation holds).
std::string endpoint_of_apiserver(const kup::Host &host) {
  if (auto fact = host.fact("node.apiserver-endpoint"); fact && !fact->empty()) return *fact;
  std::string manifest;
  try {
    manifest = host.read_file(std::string(kManifestsDir) + "/kube-apiserver.yaml");
  } catch (const kup::Error &) {
  }
  std::string address = static_pod_flag(manifest, "--advertise-address").value_or("127.0.0.1");
  if (address.find(':') != std::string::npos) address = "[" + address + "]";  // IPv6
  return address + ":" + static_pod_flag(manifest, "--secure-port").value_or("6443");
}

RestartEnv restart_env(const kup::Host &host, const Progress &progress) {
  RestartEnv env;
  env.move = [host](const std::string &from, const std::string &to) {
    const std::filesystem::path target(host.resolve(to));
    std::filesystem::create_directories(target.parent_path());
    std::filesystem::rename(host.resolve(from), target);
  };
  env.exists = [host](const std::string &path) { return host.stat(path).exists(); };
  const std::string endpoint = endpoint_of_apiserver(host);
  env.served_apiserver_serial = [endpoint](std::string *why) { return served_serial_hex(endpoint, 2000, why); };
  env.sleep = [host](int64_t ms) { host.sleep_ms(static_cast<uint32_t>(ms)); };
  env.monotonic_ms = [host] { return host.monotonic_ms(); };
  env.progress = progress;
  return env;
}

std::string aside_dir_for(const kup::Host &host) {
  return std::string(kPkiBackupParent) + "/kuphost-restart-" +
         pki_backup_name(host.now_unix_ms() / 1000).substr(std::string("kuphost-backup-pki-").size());
}

void restart_and_verify(const kup::Host &host, const CertsSettings &settings, const std::vector<std::string> &names,
                        const Progress &progress) {
  const auto components = components_to_restart(names);
  if (components.empty()) {
    progress("no static pod reads the renewed certificates: nothing to restart");
    return;
  }
  if (!settings.restart_static_pods) {
    progress("certs.restart-static-pods is false: restart " + join(components, ", ") +
             " yourself (move each manifest out of " + kManifestsDir + " for 20 s and back)");
    return;
  }
  const std::string aside = aside_dir_for(host);
  host.state_set(kStateAside, aside);
  host.state_set(kStateComponents, join(components, " "));
  HostFiles files(host);
  const auto cert = files.read(kApiserverCert);
  const std::string serial = cert && host.stat(std::string(kManifestsDir) + "/kube-apiserver.yaml").exists()
                                 ? certificate_serial_hex(*cert)
                                 : std::string();
  try {
    restart_static_pods(components, aside, serial, restart_env(host, progress), settings.timings);
  } catch (const RestartError &e) {
    throw kup::Error(KUP_E_TIMEOUT, std::string("certs: ") + e.what());
  }
}

// A node file's bytes as this run's backup set holds them; nullopt (and
// *why) when it holds none.
std::optional<std::string> read_from_set(const kup_backup_set *set, const std::string &path, std::string *why) {
  kup::StringSink copy;
  kup::ErrorCapture error;
  if (set->read_file(set, kup::to_kup(path), copy.get(), error.get()) != KUP_OK) {
    if (why) *why = error.message();
    return std::nullopt;
  }
  return copy.take();
}

// The set etcd-backup made in this run, when it holds exactly the bytes of
// every file about to be replaced.
std::optional<std::string> run_backup_set_holding(const kup::Host &host, NodeFiles &files,
                                                  const std::vector<std::string> &paths, const Progress &progress) {
  const auto *set = host.extension<kup_backup_set>(KUP_EXT_BACKUP_SET_V1);
  if (!set || !set->current || !set->read_file) return std::nullopt;
  kup::StringSink where;
  kup::ErrorCapture error;
  if (set->current(set, where.get(), error.get()) != KUP_OK) return std::nullopt;
  for (const auto &path : paths) {
    std::string why;
    const auto copy = read_from_set(set, path, &why);
    if (!copy) {
      progress("the backup set " + where.str() + " cannot give " + path + " back (" + why +
               "): keeping a copy of its own");
      return std::nullopt;
    }
    if (*copy != files.read(path).value_or("")) {
      progress(path + " changed since the backup set " + where.str() + " was made: keeping a copy of its own");
      return std::nullopt;
    }
  }
  return where.str();
}

std::string write_own_backup(const kup::Host &host, NodeFiles &files, const std::vector<std::string> &paths) {
  std::string dir = std::string(kPkiBackupParent) + "/" + pki_backup_name(host.now_unix_ms() / 1000);
  for (int n = 1; host.stat(dir).exists(); ++n)  // two runs within one second
    dir = std::string(kPkiBackupParent) + "/" + pki_backup_name(host.now_unix_ms() / 1000) + "-" + std::to_string(n);
  host.make_dirs(dir, 0700);
  write_pki_backup(files, dir, paths);
  return dir;
}

}  // namespace

ExpirationInventory read_node_inventory(const kup::Host &host) {
  const PathResolver resolve = [host](const std::string &node_path) {
    return std::filesystem::path(host.resolve(node_path));
  };
  const EtcdTopology etcd =
      host.fact("etcd.topology").value_or("") == "stacked" ? EtcdTopology::kStacked : EtcdTopology::kExternal;
  return read_inventory(resolve, etcd, host.now_unix_ms());
}

std::vector<std::string> describe_renewal(const ExpirationInventory &inventory, const CertsSettings &settings,
                                          const RenewalRequest &request) {
  const RenewalSelection selection = select(inventory, settings, request);
  std::vector<std::string> lines;
  for (const auto &e : selection.errors) lines.push_back("error: " + e);
  for (const auto &w : selection.ca_warnings) lines.push_back("WARNING: " + w);
  std::vector<std::string> names;
  for (const auto &t : selection.renew) {
    names.push_back(t.name);
    lines.push_back("renew " + t.name + " (" + t.cert_path + "): " +
                    (t.residual_seconds <= 0 ? std::string("expired") : short_human_duration(t.residual_seconds) + " left") +
                    ", new one valid " + short_human_duration(settings.validity_seconds) + " (at most until " +
                    t.ca_name + " expires), signed by " + t.ca_name);
  }
  for (const auto &s : selection.skipped) lines.push_back("skip " + s);
  for (const auto &k : selection.kept) lines.push_back("keep " + k);
  if (const auto components = components_to_restart(names); !components.empty())
    lines.push_back("then restart " + join(components, ", ") + " and check kube-apiserver serves the new certificate");
  return lines;
}

std::string run_renewal(const kup::Host &host, const CertsSettings &settings, const RenewalRun &run,
                        const Progress &progress) {
  // A killed earlier run may have left manifests aside: put them back first.
  if (const auto aside = host.state_get(kStateAside); aside && !aside->empty() && !run.dry_run)
    for (const auto &path :
         return_manifests(words_of(host.state_get(kStateComponents).value_or("")), *aside, restart_env(host, progress)))
      progress("put back " + path + ", left aside by an interrupted restart");

  const ExpirationInventory inventory = read_node_inventory(host);
  const RenewalSelection selection = select(inventory, settings, run.request);
  for (const auto &w : selection.ca_warnings) host.warn("certs: " + w);
  for (const auto &s : selection.skipped) progress(s);
  refuse_errors(selection);
  if (selection.renew.empty()) return "nothing to renew: every certificate has more than " +
                                      short_human_duration(settings.renew_before_seconds) + " left";
  HostFiles files(host);
  std::vector<PreparedRenewal> prepared;
  try {
    prepared = prepare_renewals(selection.renew, files, host.now_unix_ms() / 1000, settings.validity_seconds);
  } catch (const RenewalError &e) {
    throw kup::Error(KUP_E_INVALID_ARGUMENT, std::string("certs: nothing renewed: ") + e.what());
  }
  std::vector<std::string> names;
  for (const auto &p : prepared) names.push_back(p.target.name);
  if (run.dry_run) {
    for (const auto &line : describe_renewal(inventory, settings, run.request)) progress(line);
    return "dry run: would renew " + join(names, ", ");
  }

  const std::vector<std::string> paths = files_replaced(prepared);
  const std::vector<BackedUpFile> before = describe_files(files, paths);
  std::string backup;
  if (const auto set = run.use_run_backup_set ? run_backup_set_holding(host, files, paths, progress) : std::nullopt) {
    backup = "set " + *set;
    progress("the old files are in this run's backup set " + *set);
  } else {
    try {
      backup = "dir " + write_own_backup(host, files, paths);
    } catch (const std::exception &e) {
      throw kup::Error(KUP_E_IO, std::string("certs: nothing renewed: cannot back the old files up: ") + e.what());
    }
    progress("backed the old files up to " + backup.substr(4));
  }
  host.state_set(kStateBackup, backup);
  host.state_set(kStateFiles, backup_manifest(before));
  host.state_set(kStateNames, join(names, " "));

  try {
    write_renewals(prepared, files);
  } catch (const std::exception &e) {
    throw kup::Error(KUP_E_IO, std::string("certs: ") + e.what() + "; the old files are in " + backup.substr(4));
  }
  for (const auto &p : prepared)
    progress("renewed " + p.target.name + ": serial " + p.new_serial_hex + ", valid " +
             short_human_duration(p.new_not_after_unix - host.now_unix_ms() / 1000) + " until " +
             go_expiry_time(p.new_not_after_unix));
  restart_and_verify(host, settings, names, progress);
  return "renewed " + std::to_string(prepared.size()) + " certificate" + (prepared.size() == 1 ? "" : "s") + " (" +
         join(names, ", ") + "); the old files are in " + backup.substr(4);
}

std::string roll_back_renewal(const kup::Host &host, const CertsSettings &settings, const Progress &progress) {
  const auto backup = host.state_get(kStateBackup);
  const auto recorded = host.state_get(kStateFiles);
  if (const auto aside = host.state_get(kStateAside); aside && !aside->empty())
    for (const auto &path :
         return_manifests(words_of(host.state_get(kStateComponents).value_or("")), *aside, restart_env(host, progress)))
      progress("put back " + path);
  if (!backup || !recorded || backup->size() < 5) return "";
  const std::vector<BackedUpFile> records = parse_backup_manifest(*recorded);
  HostFiles files(host);
  BackupReader reader;
  const std::string where = backup->substr(4);
  if (backup->rfind("dir ", 0) == 0) {
    reader = directory_backup_reader(files, where);
  } else {
    const auto *set = host.extension<kup_backup_set>(KUP_EXT_BACKUP_SET_V1);
    if (!set) throw kup::Error(KUP_E_PREREQUISITE_MISSING, "certs: the backup set " + where + " is not reachable");
    reader = [set](const std::string &path) { return read_from_set(set, path, nullptr); };
  }
  std::vector<std::string> rewritten;
  try {
    rewritten = restore_pki_backup(files, records, reader);
  } catch (const std::exception &e) {
    throw kup::Error(KUP_E_IO, std::string("certs: cannot restore from ") + where + ": " + e.what());
  }
  if (rewritten.empty()) return "the certificates are as before the renewal";
  progress("restored " + join(rewritten, ", ") + " from " + where);
  restart_and_verify(host, settings, words_of(host.state_get(kStateNames).value_or("")), progress);
  return "restored " + std::to_string(rewritten.size()) + " file(s) from " + where;
}

}  // namespace kuphost_plugins::certs
