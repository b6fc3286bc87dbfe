#include "renew_workflow.h"

#include <kuphost/ext/backup_set.h>

#include <filesystem>

#include "host_files.h"
#include "inventory/go_text.h"
#include "renewal/pki_backup.h"
#include "renewal/pki_renewal.h"
#include "renewal/renew_certificate.h"
#include "restart/served_certificate.h"

namespace kuphost_plugins::certs {
namespace {

// kuphost.state/1 keys of this plugin, so a rollback (or a rerun after a
// crash) finds what this run changed.
constexpr const char *kStateBackup = "renew/backup";          // "set <path>" or "dir <path>"
constexpr const char *kStateFiles = "renew/files";            // backup_manifest() of the old files
constexpr const char *kStateAside = "restart/aside";          // where manifests wait during a restart
constexpr const char *kStateComponents = "restart/components";  // comma-separated

constexpr const char *kApiserverCert = "/etc/kubernetes/pki/apiserver.crt";

std::string join(const std::vector<std::string> &v, const char *sep) {
  std::string out;
  for (const auto &s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> split_commas(const std::string &text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto end = std::min(text.find(',', at), text.size());
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

PathResolver resolver(const kup::Host &host) {
  return [host](const std::string &node_path) { return std::filesystem::path(host.resolve(node_path)); };
}

RenewalSelection select(const kup::Host &host, const CertsSettings &settings, RenewalRequest request) {
  request.renew_before_seconds = settings.renew_before_seconds;
  const EtcdTopology etcd =
      host.fact("etcd.topology").value_or("") == "stacked" ? EtcdTopology::kStacked : EtcdTopology::kExternal;
  return select_renewals(read_inventory(resolver(host), etcd, host.now_unix_ms()), request);
}

void refuse_errors(const RenewalSelection &selection) {
  if (selection.errors.empty()) return;
  throw kup::Error(KUP_E_INVALID_ARGUMENT,
                   "certs: nothing renewed: " + join(selection.errors, "; "));
}

std::string endpoint_of_apiserver(const kup::Host &host) {
  if (auto fact = host.fact("node.apiserver-endpoint"); fact && !fact->empty()) return *fact;
  const std::string manifest = std::string(kManifestsDir) + "/kube-apiserver.yaml";
  std::string text;
  try {
    text = host.read_file(manifest);
  } catch (const kup::Error &) {
    return "127.0.0.1:6443";
  }
  // kubeadm's annotation "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 10.0.0.5:6443".
  const std::string key = "kube-apiserver.advertise-address.endpoint:";
  if (const auto at = text.find(key); at != std::string::npos) {
    const auto start = text.find_first_not_of(" \t\"", at + key.size());
    const auto end = text.find_first_of(" \t\"\r\n", start);
    if (start != std::string::npos) return text.substr(start, end - start);
  }
  return "127.0.0.1:6443";
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
  host.state_set(kStateComponents, join(components, ","));
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
    kup::StringSink copy;
    kup::ErrorCapture read_error;
    if (set->read_file(set, kup::to_kup(path), copy.get(), read_error.get()) != KUP_OK) {
      progress("the backup set " + where.str() + " cannot give " + path + " back (" + read_error.message() +
               "): keeping a copy of its own");
      return std::nullopt;
    }
    if (copy.str() != files.read(path).value_or("")) {
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

std::string kubelet_client_warning(const kup::Host &host) {
  const EtcdTopology etcd =
      host.fact("etcd.topology").value_or("") == "stacked" ? EtcdTopology::kStacked : EtcdTopology::kExternal;
  return read_inventory(resolver(host), etcd, host.now_unix_ms()).kubelet_client.warning;
}

std::vector<std::string> describe_renewal(const kup::Host &host, const CertsSettings &settings,
                                          const RenewalRequest &request) {
  const RenewalSelection selection = select(host, settings, request);
  std::vector<std::string> lines;
  for (const auto &e : selection.errors) lines.push_back("error: " + e);
  for (const auto &w : selection.ca_warnings) lines.push_back("WARNING: " + w);
  for (const auto &t : selection.renew)
    lines.push_back("renew " + t.name + " (" + t.cert_path + "): " +
                    (t.residual_seconds <= 0 ? std::string("expired") : short_human_duration(t.residual_seconds) + " left") +
                    ", new one valid " + short_human_duration(settings.validity_seconds) + " (at most until " +
                    t.ca_name + " expires), signed by " + t.ca_name);
  for (const auto &s : selection.skipped) lines.push_back("skip " + s);
  for (const auto &k : selection.kept) lines.push_back("keep " + k);
  const auto names = [&] {
    std::vector<std::string> n;
    for (const auto &t : selection.renew) n.push_back(t.name);
    return n;
  }();
  if (const auto components = components_to_restart(names); !components.empty())
    lines.push_back("then restart " + join(components, ", ") + " and check kube-apiserver serves the new certificate");
  return lines;
}

std::string run_renewal(const kup::Host &host, const CertsSettings &settings, const RenewalRun &run,
                        const Progress &progress) {
  // A killed earlier run may have left manifests aside: put them back first.
  if (const auto aside = host.state_get(kStateAside); aside && !aside->empty() && !run.plan_only)
    for (const auto &path :
         return_manifests(split_commas(host.state_get(kStateComponents).value_or("")), *aside, restart_env(host, progress)))
      progress("put back " + path + ", left aside by an interrupted restart");

  const RenewalSelection selection = select(host, settings, run.request);
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
  if (run.plan_only || run.dry_run) {
    for (const auto &line : describe_renewal(host, settings, run.request)) progress(line);
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
         return_manifests(split_commas(host.state_get(kStateComponents).value_or("")), *aside, restart_env(host, progress)))
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
    reader = [set](const std::string &path) -> std::optional<std::string> {
      kup::StringSink copy;
      kup::ErrorCapture error;
      if (set->read_file(set, kup::to_kup(path), copy.get(), error.get()) != KUP_OK) return std::nullopt;
      return copy.take();
    };
  }
  std::vector<std::string> rewritten;
  try {
    rewritten = restore_pki_backup(files, records, reader);
  } catch (const std::exception &e) {
    throw kup::Error(KUP_E_IO, std::string("certs: cannot restore from ") + where + ": " + e.what());
  }
  if (rewritten.empty()) return "the certificates are as before the renewal";
  progress("restored " + join(rewritten, ", ") + " from " + where);
  std::vector<std::string> names;
  for (const auto &r : records) {
    // back to check-expiration names for the restart choice
    const auto slash = r.node_path.rfind('/');
    std::string base = r.node_path.substr(slash + 1);
    if (base.size() > 4 && (base.ends_with(".crt") || base.ends_with(".key"))) base = base.substr(0, base.size() - 4);
    if (r.node_path.find("/pki/etcd/") != std::string::npos) base = "etcd-" + base;
    names.push_back(base);
  }
  restart_and_verify(host, settings, names, progress);
  return "restored " + std::to_string(rewritten.size()) + " file(s) from " + where;
}

}  // namespace kuphost_plugins::certs
