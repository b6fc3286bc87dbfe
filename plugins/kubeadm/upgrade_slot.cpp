#include "upgrade_slot.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <yaml-cpp/yaml.h>

#include "support/exec_options.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::kubeadm {
namespace {

kup::ExecOptions query() { return read_only_query(30 * 1000); }

// The Lease manifests are kuphost's own, so kubectl's client-side schema
// check (an OpenAPI download per call, absent on some API servers) is skipped.
kup::ExecOptions write_with(std::string manifest) {
  kup::ExecOptions opt;
  opt.check = false;
  opt.timeout_ms = 30 * 1000;
  opt.stdin_data = std::move(manifest);
  return opt;
}

bool says(const kup::ExecResult &r, std::string_view reason) {
  return r.err.find("(" + std::string(reason) + ")") != std::string::npos;
}

std::optional<LeaseRecord> parse_lease(const std::string &json) {
  try {
    const YAML::Node lease = YAML::Load(json);
    LeaseRecord rec;
    rec.resource_version = lease["metadata"]["resourceVersion"].as<std::string>("");
    const YAML::Node spec = lease["spec"];
    if (spec) {
      if (spec["holderIdentity"] && !spec["holderIdentity"].IsNull())
        rec.holder = spec["holderIdentity"].as<std::string>("");
      rec.duration_s = spec["leaseDurationSeconds"].as<int64_t>(0);
      rec.transitions = spec["leaseTransitions"].as<int64_t>(0);
      if (spec["renewTime"] && !spec["renewTime"].IsNull())
        rec.renew_unix_ms = parse_micro_time(spec["renewTime"].as<std::string>("")).value_or(0);
    }
    if (rec.resource_version.empty()) return std::nullopt;
    return rec;
  } catch (const YAML::Exception &) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<std::string> slot_names(bool control_plane, uint32_t worker_slots) {
  if (control_plane) return {kControlPlaneSlot};
  std::vector<std::string> names;
  for (uint32_t i = 0; i < std::max<uint32_t>(worker_slots, 1); ++i)
    names.push_back(kWorkerSlotPrefix + std::to_string(i));
  return names;
}

std::string micro_time(int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000) * 1000);
  return buf;
}

std::optional<int64_t> parse_micro_time(std::string_view text) {
  std::tm tm{};
  int micros = 0, consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return std::nullopt;
  std::string_view rest = text.substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (digits < 6) micros = micros * 10 + (rest.front() - '0'), ++digits;
      rest.remove_prefix(1);
    }
    for (; digits < 6; ++digits) micros *= 10;
  }
  if (rest != "Z") return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + micros / 1000;
}

UpgradeSlot::UpgradeSlot(const kup::Host &host, Kubectl kubectl, SlotSettings settings, std::string identity,
                         bool control_plane)
    : host_(host),
      kubectl_(std::move(kubectl)),
      settings_(settings),
      identity_(std::move(identity)),
      control_plane_(control_plane) {}

UpgradeSlot::~UpgradeSlot() { stop_renewing(); }

std::string UpgradeSlot::held() const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_;
}

std::optional<LeaseRecord> UpgradeSlot::read(const std::string &name, bool *missing) const {
  *missing = false;
  const auto r = host_.run(kubectl_.argv({"get", "lease", name, "-n", kSlotNamespace, "-o", "json"}), query());
  if (r.exit_code != 0) {
    if (says(r, "NotFound")) *missing = true;
    else throw kup::Error(KUP_E_COMMAND_FAILED, "cannot read Lease " + std::string(kSlotNamespace) + "/" + name +
                                                    ": " + last_line_of(r.err));
    return std::nullopt;
  }
  auto rec = parse_lease(r.out);
  if (!rec)
    throw kup::Error(KUP_E_COMMAND_FAILED, "kubectl printed no Lease for " + std::string(kSlotNamespace) + "/" + name);
  return rec;
}

std::string UpgradeSlot::manifest(const std::string &name, const std::string &resource_version,
                                  const std::string &holder, int64_t now_ms, int64_t acquire_ms,
                                  int64_t transitions) const {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "apiVersion" << YAML::Value << "coordination.k8s.io/v1" << YAML::Key
      << "kind" << YAML::Value << "Lease" << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key
      << "name" << YAML::Value << name << YAML::Key << "namespace" << YAML::Value << kSlotNamespace;
  if (!resource_version.empty())
    out << YAML::Key << "resourceVersion" << YAML::Value << YAML::DoubleQuoted << resource_version;
  out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap << YAML::Key << "app.kubernetes.io/managed-by"
      << YAML::Value << "kuphost" << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  if (!holder.empty()) {
    out << YAML::Key << "holderIdentity" << YAML::Value << holder << YAML::Key << "acquireTime" << YAML::Value
        << micro_time(acquire_ms) << YAML::Key << "renewTime" << YAML::Value << micro_time(now_ms);
  }
  out << YAML::Key << "leaseDurationSeconds" << YAML::Value
      << static_cast<int64_t>(std::max<uint64_t>(settings_.lease_ms / 1000, 1)) << YAML::Key << "leaseTransitions"
      << YAML::Value << transitions << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

bool UpgradeSlot::create(const std::string &name) {
  const int64_t now = host_.now_unix_ms();
  const auto r = host_.run(kubectl_.argv({"create", "--validate=false", "-f", "-", "-o", "json"}),
                           write_with(manifest(name, "", identity_, now, now, 0)));
  if (r.exit_code != 0) {
    if (says(r, "AlreadyExists")) return false;
    throw kup::Error(KUP_E_COMMAND_FAILED, "cannot create Lease " + std::string(kSlotNamespace) + "/" + name +
                                               ": " + last_line_of(r.err));
  }
  auto rec = parse_lease(r.out);
  std::lock_guard<std::mutex> lock(mu_);
  record_ = rec.value_or(LeaseRecord{});
  acquired_unix_ms_ = now;
  return true;
}

std::optional<LeaseRecord> UpgradeSlot::write(const std::string &name, const LeaseRecord &from,
                                              const std::string &holder, bool new_holder) {
  const int64_t now = host_.now_unix_ms();
  int64_t acquired;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (new_holder) acquired_unix_ms_ = now;
    acquired = acquired_unix_ms_;
  }
  const int64_t transitions = from.transitions + (new_holder ? 1 : 0);
  const auto r = host_.run(kubectl_.argv({"replace", "--validate=false", "-f", "-", "-o", "json"}),
                           write_with(manifest(name, from.resource_version, holder, now, acquired, transitions)));
  if (r.exit_code != 0) {
    if (says(r, "Conflict") || says(r, "NotFound")) return std::nullopt;
    throw kup::Error(KUP_E_COMMAND_FAILED, "cannot update Lease " + std::string(kSlotNamespace) + "/" + name +
                                               ": " + last_line_of(r.err));
  }
  return parse_lease(r.out);
}

bool UpgradeSlot::try_take(const std::string &name, std::string *busy_with) {
  bool missing = false;
  const auto current = read(name, &missing);
  if (missing) return create(name);
  const int64_t now = host_.now_unix_ms();
  const bool mine = current->holder == identity_;
  if (!mine && !current->expired_at(now)) {
    *busy_with = name + " held by " + current->holder + " (renewed " +
                 std::to_string(std::max<int64_t>(now - current->renew_unix_ms, 0) / 1000) + "s ago, expires after " +
                 std::to_string(current->duration_s) + "s without renewal)";
    return false;
  }
  if (!mine && !current->holder.empty())
    host_.warn("taking over upgrade slot " + name + " from " + current->holder + ", which stopped renewing it");
  const auto written = write(name, *current, identity_, !mine);
  if (!written) return false;
  std::lock_guard<std::mutex> lock(mu_);
  record_ = *written;
  return true;
}

void UpgradeSlot::acquire() {
  if (!held().empty()) return;
  const auto names = slot_names(control_plane_, settings_.worker_slots);
  const int64_t deadline = host_.monotonic_ms() + static_cast<int64_t>(settings_.wait_ms);
  const uint32_t poll_ms = static_cast<uint32_t>(std::clamp<uint64_t>(settings_.lease_ms / 4, 200, 2000));
  bool said_waiting = false;
  for (;;) {
    std::vector<std::string> busy;
    for (const auto &name : names) {
      std::string why;
      if (try_take(name, &why)) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          held_ = name;
        }
        host_.info("took upgrade slot " + std::string(kSlotNamespace) + "/" + name + " (held until uncordon)");
        start_renewing();
        return;
      }
      if (!why.empty()) busy.push_back(why);
    }
    if (host_.monotonic_ms() >= deadline)
      throw kup::Error(KUP_E_RETRY_LATER, "no upgrade slot became free within " +
                                              std::to_string(settings_.wait_ms / 1000) + "s: " + join(busy, "; ") +
                                              " (raise kubeadm.upgrade-slots or kubeadm.upgrade-slot-wait)");
    if (!said_waiting) {
      host_.info("waiting for an upgrade slot: " + join(busy, "; "));
      said_waiting = true;
    }
    host_.sleep_ms(poll_ms);
  }
}

void UpgradeSlot::release() noexcept {
  stop_renewing();
  std::string name;
  LeaseRecord rec;
  {
    std::lock_guard<std::mutex> lock(mu_);
    name = held_;
    rec = record_;
    held_.clear();
  }
  try {
    bool missing = false;
    if (name.empty()) {
      // A re-run after a crash: free what this node may still hold.
      for (const auto &n : slot_names(control_plane_, settings_.worker_slots)) {
        const auto cur = read(n, &missing);
        if (cur && cur->holder == identity_) {
          name = n;
          rec = *cur;
          break;
        }
      }
      if (name.empty()) return;
    }
    const auto cur = read(name, &missing);
    if (!cur || cur->holder != identity_) return;  // expired and taken by another node
    if (write(name, *cur, "", false)) host_.info("released upgrade slot " + std::string(kSlotNamespace) + "/" + name);
  } catch (const std::exception &e) {
    host_.warn(std::string("could not release the upgrade slot (it expires on its own): ") + e.what());
  }
}

std::vector<std::string> UpgradeSlot::describe_holders() const {
  std::vector<std::string> lines;
  const int64_t now = host_.now_unix_ms();
  for (const auto &name : slot_names(control_plane_, settings_.worker_slots)) {
    bool missing = false;
    std::optional<LeaseRecord> rec;
    try {
      rec = read(name, &missing);
    } catch (const kup::Error &e) {
      lines.push_back(name + ": unknown (" + e.what() + ")");
      continue;
    }
    if (missing || !rec || rec->expired_at(now)) lines.push_back(name + ": free");
    else lines.push_back(name + ": held by " + rec->holder);
  }
  return lines;
}

void UpgradeSlot::start_renewing() {
  stop_renewing();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  renewer_ = std::thread([this] { renew_loop(); });
}

void UpgradeSlot::stop_renewing() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (renewer_.joinable()) renewer_.join();
}

// Runs on its own thread: only [any-thread] services (exec, log, clock).
void UpgradeSlot::renew_loop() {
  const auto period = std::chrono::milliseconds(std::max<uint64_t>(settings_.lease_ms / 3, 100));
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, period, [this] { return stop_; })) {
    const std::string name = held_;
    const LeaseRecord rec = record_;
    lock.unlock();
    std::optional<LeaseRecord> written;
    try {
      written = write(name, rec, identity_, false);
      if (!written) host_.warn("lost upgrade slot " + name + ": another node took it after it expired");
    } catch (const std::exception &e) {
      host_.warn(std::string("could not renew upgrade slot ") + name + " (retrying): " + e.what());
      written = rec;  // keep the slot; the next period tries again
    }
    lock.lock();
    if (!written) {
      held_.clear();  // stop: renewing a slot that is no longer ours would only conflict
      return;
    }
    record_ = *written;
  }
}

}  // namespace kuphost_plugins::kubeadm
