// stage-binaries, upgrade-node, binaries and kubelet-restart: the node
// side, over the RemoteShell; drain and the Ready wait are node_kubectl.cpp.
#include "windows_upgrade.h"

#include <algorithm>
#include <ctime>

#include "local_binaries.h"
#include "support/kube_version.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::windows_node {
namespace {

// kuphost.state/1 keys of this plugin, so a resumed run and the rollbacks
// know what this run found and changed.
constexpr const char *kStateStamp = "stamp";        // names the staging and backup dirs
constexpr const char *kStatePresent = "present";    // binaries on the node before the upgrade
constexpr const char *kStateReplace = "replace";    // binaries not yet at the target
constexpr const char *kStateBackup = "backup";      // the backup dir, once written
constexpr const char *kStateRestored = "restored";  // "true" once a rollback put the backup back
constexpr const char *kStateProxyService = "kube-proxy-service";  // "true" when kube-proxy is a Windows service

constexpr uint32_t kStepTimeoutMs = 5 * 60 * 1000;
constexpr uint32_t kDownloadTimeoutMs = 15 * 60 * 1000;

bool contains(const std::vector<std::string> &list, const std::string &item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The `n`-th line after the line `key` in a step's output ("" if none).
std::string value_after(const std::string &out, const std::string &key, size_t n = 1) {
  const auto lines = lines_of(out);
  for (size_t i = 0; i < lines.size(); ++i)
    if (trim(lines[i]) == key) return i + n < lines.size() ? std::string(trim(lines[i + n])) : std::string();
  return {};
}

std::string lower(std::string s) {
  for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void changed(const kup::Call &call, const std::string &done, const std::string &would) {
  call.changed(call.dry_run() ? would : done);
}

}  // namespace

WindowsUpgrade::WindowsUpgrade(kup::Host host, WindowsSettings settings, RemoteShell &shell)
    : host_(host), settings_(std::move(settings)), shell_(shell) {
  while (!settings_.from_directory() && settings_.binaries_from.size() > 1 && settings_.binaries_from.back() == '/')
    settings_.binaries_from.pop_back();
}

std::string WindowsUpgrade::stamp_of(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &tm);
  return text;
}

std::string WindowsUpgrade::require_target(const kup::Call &call) const {
  const auto target = KubeVersion::parse(call.target_version());
  if (!target)
    throw kup::Error(KUP_E_INVALID_ARGUMENT, "windows-node needs a target version such as v1.31.2, not '" +
                                                 std::string(call.target_version()) + "'");
  return target->str();
}

std::string WindowsUpgrade::stamp() {
  if (auto s = host_.state_get(kStateStamp); s && !s->empty()) return *s;
  const std::string s = stamp_of(host_.now_unix_ms());
  remember(kStateStamp, s);
  return s;
}

std::vector<std::string> WindowsUpgrade::remembered_list(const char *key) const {
  return words_of(host_.state_get(key).value_or(""));
}

void WindowsUpgrade::remember(const char *key, const std::string &value) const { host_.state_set(key, value); }

ShellResult WindowsUpgrade::run_step(const PsScript &script, const std::string &what, bool read_only) {
  ShellOptions options;
  options.read_only = read_only;
  options.timeout_ms = kStepTimeoutMs;
  ShellResult r = shell_.run(script.text(), options);
  if (!r.not_run && r.exit_code != 0) {
    std::string why = last_line_of(r.err.empty() ? r.out : r.err);
    if (why.empty()) why = "exit status " + std::to_string(r.exit_code);
    throw kup::Error(KUP_E_COMMAND_FAILED, what + " on " + settings_.node_name + " failed: " + why);
  }
  return r;
}

// Stopping the kubelet stops kube-proxy too: where the kube-proxy service
// depends on the kubelet's (a common setup), Windows refuses otherwise.
std::vector<std::string> WindowsUpgrade::services_of(const std::vector<std::string> &binaries) const {
  std::vector<std::string> services;
  for (const std::string b : {kKubelet, kKubeProxy})
    if (contains(binaries, b)) services.push_back(service_of(b));
  if (contains(services, "kubelet") && !contains(services, "kube-proxy") &&
      host_.state_get(kStateProxyService) == "true")
    services.push_back("kube-proxy");
  return services;
}

void WindowsUpgrade::check_staged(const ShellResult &r, const std::string &name, const std::string &from) {
  if (r.not_run || r.exit_code == 0) return;
  const std::string expected = value_after(r.out, name, 1), actual = value_after(r.out, name, 2);
  if (!expected.empty() && !actual.empty() && !same_digest(expected, actual))
    throw kup::Error(KUP_E_COMMAND_FAILED, name + " from " + from + " does not match its .sha256: expected " +
                                               lower(expected) + ", got " + lower(actual) +
                                               "; nothing on the node was replaced");
  const std::string why = last_line_of(r.err.empty() ? r.out : r.err);
  throw kup::Error(KUP_E_COMMAND_FAILED, "staging " + name + " on " + settings_.node_name + " failed: " + why);
}

bool WindowsUpgrade::stage_binary(const kup::Call &call, const std::string &name, const std::string &target,
                                  const std::string &current_hash) {
  const std::string staging = staging_dir(stamp());
  const auto kept = [&](const std::string &expected) {
    call.out(name + " on the node is already the " + target + " build (SHA-256 " + lower(expected) + "): kept");
    return false;
  };
  ShellOptions download;
  download.timeout_ms = kDownloadTimeoutMs;
  if (!settings_.from_directory()) {
    const std::string url = binary_url(settings_.binaries_from, target, name);
    const ShellResult sums = run_step(fetch_checksum_script(staging, name, url), "downloading " + url + ".sha256");
    if (!sums.not_run && same_digest(current_hash, value_after(sums.out, name))) return kept(value_after(sums.out, name));
    check_staged(shell_.run(fetch_binary_script(staging, name, url).text(), download), name, url);
    call.out((call.dry_run() ? "would stage " : "staged ") + name + " from " + url + " in " + staging +
             " (checked against its .sha256)");
    return true;
  }
  const std::string local = settings_.binaries_from + "/" + name;
  const std::string expected = digest_in_checksum_file(host_.read_file(local + ".sha256"));
  if (expected.empty()) throw kup::Error(KUP_E_INVALID_ARGUMENT, local + ".sha256 holds no digest");
  const std::string actual = sha256_of_file(host_.resolve(local));
  if (!same_digest(expected, actual))
    throw kup::Error(KUP_E_COMMAND_FAILED, name + " in " + settings_.binaries_from +
                                               " does not match its .sha256: expected " + expected + ", got " +
                                               actual + "; nothing was copied to the node or replaced");
  if (same_digest(current_hash, expected)) return kept(expected);
  run_step(make_dir_script(staging), "creating " + staging);
  for (const std::string &file : {name, name + ".sha256"})
    shell_.copy_to_node(host_.resolve(settings_.binaries_from + "/" + file), scp_path(in_dir(staging, file)),
                        kDownloadTimeoutMs);
  check_staged(shell_.run(verify_staged_script(staging, name).text(), download), name, local);
  call.out((call.dry_run() ? "would copy " : "copied ") + name + " from " + local + " to " + staging +
           " (checked here and on the node)");
  return true;
}

void WindowsUpgrade::apply_download(const kup::Call &call) {
  const std::string target = require_target(call);
  const ShellResult probe = run_step(probe_script(), "probing the binaries", /*read_only=*/true);
  const bool proxy_service = lower(value_after(probe.out, "kube-proxy-service")) == "true";
  std::vector<std::string> binaries{kKubeadm, kKubelet};
  if (proxy_service) binaries.push_back(kKubeProxy);
  else call.out("kube-proxy is not a Windows service on " + settings_.node_name + ": kube-proxy.exe is left alone");
  std::vector<std::string> present, replace;
  for (const auto &name : binaries) {
    const std::string hash = value_after(probe.out, name);
    if (!hash.empty() && hash != kMissing) present.push_back(name);
    if (stage_binary(call, name, target, hash)) replace.push_back(name);
  }
  remember(kStateProxyService, proxy_service ? "true" : "false");
  remember(kStatePresent, join(present, " "));
  remember(kStateReplace, join(replace, " "));
  if (replace.empty()) return call.unchanged("every binary is already the " + target + " build");
  changed(call, "staged and checked " + join(replace, ", ") + " in " + staging_dir(stamp()),
          "would stage and check " + join(replace, ", "));
}

void WindowsUpgrade::rollback_download(const kup::Call &call) {
  const auto s = host_.state_get(kStateStamp);
  if (!s) return call.unchanged("nothing was staged");
  run_step(remove_dir_script(staging_dir(*s)), "removing " + staging_dir(*s));
  call.changed("removed " + staging_dir(*s));
}

void WindowsUpgrade::apply_upgrade_node(const kup::Call &call) {
  require_target(call);
  const std::string staging = staging_dir(stamp()), backup = backup_dir(stamp());
  if (!host_.state_get(kStateBackup)) {
    run_step(backup_script(backup, remembered_list(kStatePresent)), "backing up the binaries");
    remember(kStateBackup, backup);
    call.out((call.dry_run() ? "would keep " : "kept ") + std::string("the current binaries in ") + backup);
  }
  const bool new_kubeadm = contains(remembered_list(kStateReplace), kKubeadm);
  if (new_kubeadm) run_step(replace_script(staging, kKubeadm), "replacing kubeadm.exe");
  try {
    ShellOptions options;
    options.timeout_ms = 2 * kStepTimeoutMs;
    const ShellResult r = shell_.run(upgrade_node_script().text(), options);
    for (const auto &line : lines_of(r.out)) host_.info(line);
    if (!r.not_run && r.exit_code != 0)
      throw kup::Error(KUP_E_COMMAND_FAILED, "kubeadm upgrade node on " + settings_.node_name + " failed: " +
                                                 last_line_of(r.err.empty() ? r.out : r.err));
  } catch (const kup::Error &e) {
    if (!new_kubeadm || call.dry_run()) throw;
    run_step(restore_script(backup, {kKubeadm}, false), "putting kubeadm.exe back");
    throw kup::Error(e.code(), std::string(e.what()) + "; the previous kubeadm.exe was put back");
  }
  changed(call, "kubeadm upgrade node done", "would run kubeadm upgrade node");
}

void WindowsUpgrade::rollback_upgrade_node(const kup::Call &call) {
  if (!host_.state_get(kStateBackup)) return call.unchanged("no backup was made: nothing to put back");
  restore(call, {kKubeadm}, /*kubelet_config=*/true);
  call.changed("kubeadm.exe and the kubelet configuration put back from " + backup_dir(stamp()));
}

void WindowsUpgrade::apply_binaries(const kup::Call &call) {
  std::vector<std::string> replace;
  for (const auto &name : remembered_list(kStateReplace))
    if (!service_of(name).empty()) replace.push_back(name);
  if (replace.empty()) return call.unchanged("kubelet.exe and kube-proxy.exe are already the target's");
  run_step(stop_services_script(services_of(replace)), "stopping " + join(services_of(replace), ", "));
  try {
    for (const auto &name : replace) run_step(replace_script(staging_dir(stamp()), name), "replacing " + name);
  } catch (const kup::Error &e) {
    // A failed phase is not rolled back by the host: undo its own half.
    if (call.dry_run()) throw;
    restore(call, replace, false);
    throw kup::Error(e.code(), std::string(e.what()) + "; the previous binaries were put back and started");
  }
  changed(call, "replaced " + join(replace, ", "), "would replace " + join(replace, ", "));
}

void WindowsUpgrade::restore(const kup::Call &call, const std::vector<std::string> &binaries, bool kubelet_config) {
  std::vector<std::string> with_kubelet = binaries;
  if (kubelet_config) with_kubelet.push_back(kKubelet);  // it reads the configuration at start
  const std::vector<std::string> services = services_of(with_kubelet);
  const std::string backup = backup_dir(stamp());
  run_step(stop_services_script(services), "stopping " + join(services, ", "));
  run_step(restore_script(backup, binaries, kubelet_config), "restoring from " + backup);
  run_step(start_services_script(services), "starting " + join(services, ", "));
  call.out("put back " + join(binaries, ", ") + (kubelet_config ? " and the kubelet configuration" : "") + " from " +
           backup + "; started " + join(services, ", "));
}

void WindowsUpgrade::rollback_binaries(const kup::Call &call) {
  if (host_.state_get(kStateRestored) == "true") return call.unchanged("the previous binaries are back already");
  std::vector<std::string> replace;
  for (const auto &name : remembered_list(kStateReplace))
    if (!service_of(name).empty()) replace.push_back(name);
  if (replace.empty() || !host_.state_get(kStateBackup)) return call.unchanged("no binary was replaced");
  restore(call, replace, false);
  remember(kStateRestored, "true");
  call.changed("put back " + join(replace, ", "));
}

void WindowsUpgrade::apply_restart(const kup::Call &call) {
  const std::string target = require_target(call);
  const std::vector<std::string> services = services_of(remembered_list(kStateReplace));
  if (services.empty()) return call.unchanged("no service runs a new binary");
  run_step(start_services_script(services), "starting " + join(services, ", "));
  wait_until_ready(call, target);
  try {
    run_step(remove_dir_script(staging_dir(stamp())), "removing " + staging_dir(stamp()));
  } catch (const kup::Error &e) {
    host_.warn(std::string("windows-node: ") + e.what() + " (remove it by hand)");
  }
  changed(call, "started " + join(services, ", ") + "; " + settings_.node_name + " is Ready at " + target,
          "would start " + join(services, ", ") + " and wait for " + settings_.node_name + " to be Ready");
}

}  // namespace kuphost_plugins::windows_node
