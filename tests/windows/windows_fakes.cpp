#include "windows_fakes.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "test_support.h"

namespace kuphost::test {
namespace {

std::string upper(std::string s) {
  for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string service_of(const std::string &binary) {
  return binary == "kubelet.exe" ? "kubelet" : binary == "kube-proxy.exe" ? "kube-proxy" : "";
}

ShellResult failure(const std::string &err) { return ShellResult{1, false, "", err + "\n"}; }

std::vector<std::string> services_in(const std::string &script, const std::string &verb) {
  std::vector<std::string> out;
  const std::regex line(verb + "-Service -Name ([a-z-]+)");
  for (std::sregex_iterator it(script.begin(), script.end(), line), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

const char *const kNames[] = {"kubeadm.exe", "kubelet.exe", "kube-proxy.exe"};

}  // namespace

std::string digest_of(const std::string &content) { return sha256_hex(content); }

CommandResult FakeKubectl::run(const Command &command) {
  calls.push_back(command.argv);
  CommandResult r;
  r.started = true;
  r.exit_code = 0;
  const auto &a = command.argv;
  const auto has = [&](const std::string &word) { return std::find(a.begin(), a.end(), word) != a.end(); };
  if (a.empty() || a[0] != "kubectl") {
    r.exit_code = 127;
    r.err = "unexpected command " + (a.empty() ? std::string() : a[0]);
  } else if (has("drain")) {
    if (events) events->push_back("kubectl drain");
    node_.cordoned = true;
    r.exit_code = drain_exit;
    if (drain_exit != 0) r.err = "error: cannot evict pod as it would violate the pod's disruption budget.\n";
  } else if (has("uncordon")) {
    if (events) events->push_back("kubectl uncordon");
    node_.cordoned = false;
  } else if (has("jsonpath={.spec.unschedulable}")) {
    r.out = node_.cordoned ? "true" : "";
  } else if (has("get")) {
    r.out = node_.kubelet_version + " " + (node_.ready ? "True" : "False");
  }
  return r;
}

FakeWindowsNode::FakeWindowsNode(FakeNodeStatus &status) : status_(status) {
  for (const char *name : kNames) {
    const std::string base = std::string(name).substr(0, std::string(name).size() - 4);
    files[name] = base + " v1.30.5";
    mirror[name] = published[name] = base + " v1.31.2";
  }
}

ShellResult FakeWindowsNode::answer(const std::string &step, const std::string &script) {
  const std::string name = step.substr(step.find(' ') + 1);
  const auto check = [&](const std::string &content) {
    const std::string expected = digest_of(published[name]), actual = upper(digest_of(content));
    ShellResult r{0, false, name + "\n" + expected + "\n" + actual + "\n", ""};
    if (upper(expected) != actual) {
      r.exit_code = 1;
      r.err = name + " does not match " + name + ".sha256\n";
    }
    return r;
  };
  if (step == "probe") {
    std::string out = std::string("kube-proxy-service\n") + (kube_proxy_service ? "True" : "False") + "\n";
    for (const char *n : kNames) out += std::string(n) + "\n" + (files.count(n) ? upper(digest_of(files[n])) : "missing") + "\n";
    return ShellResult{0, false, out, ""};
  }
  if (step.rfind("fetch-checksum ", 0) == 0) {
    if (!published.count(name)) return failure("download of " + name + ".sha256 failed");
    return ShellResult{0, false, name + "\n" + digest_of(published[name]) + "\n", ""};
  }
  if (step.rfind("fetch ", 0) == 0) {
    staged[name] = mirror[name];
    return check(staged[name]);
  }
  if (step.rfind("verify ", 0) == 0) return check(staged[name]);
  if (step == "backup") {
    for (const char *n : kNames)
      if (files.count(n) && script.find("'C:\\k\\" + std::string(n) + "' -Destination") != std::string::npos)
        backup[n] = files[n];
    return {};
  }
  if (step.rfind("replace ", 0) == 0) {
    const std::string service = service_of(name);
    if (!service.empty() && running[service])
      return failure("The process cannot access the file because it is being used by another process.");
    files[name] = staged[name];
    return check(files[name]);
  }
  if (step == "restore") {
    for (const char *n : kNames) {
      if (script.find("-Destination 'C:\\k\\" + std::string(n) + "'") == std::string::npos || !backup.count(n)) continue;
      const std::string service = service_of(n);
      if (!service.empty() && running[service])
        return failure("The process cannot access the file because it is being used by another process.");
      files[n] = backup[n];
    }
    return {};
  }
  if (step == "stop-services") {
    for (const auto &s : services_in(script, "Stop")) {
      // As on nodes where the kube-proxy service depends on the kubelet's.
      if (s == "kubelet" && kube_proxy_service && running["kube-proxy"])
        return failure("Cannot stop service 'kubelet (kubelet)' because it has dependent services.");
      running[s] = false;
      if (s == "kubelet") status_.ready = false;
    }
    return {};
  }
  if (step == "start-services") {
    for (const auto &s : services_in(script, "Start")) {
      running[s] = true;
      if (s != "kubelet") continue;
      const std::string &kubelet = files["kubelet.exe"];
      status_.kubelet_version = kubelet.substr(kubelet.find(' ') + 1);
      status_.ready = !(never_ready && status_.kubelet_version == "v1.31.2");
    }
    return {};
  }
  if (step == "upgrade-node") return ShellResult{0, false, "[upgrade] The configuration for this node was successfully updated!\n", ""};
  if (step == "make-dir" || step == "remove-dir") return {};
  return failure("the fake node does not know step " + step);
}

ShellResult RecordingShell::run(const std::string &script, const ShellOptions &options) {
  const std::string marker = "# kuphost step: ";
  const auto end = script.find('\n');
  const std::string first = script.substr(0, end);
  Sent s;
  s.step = first.rfind(marker, 0) == 0 ? first.substr(marker.size()) : first;
  s.script = script;
  s.read_only = options.read_only;
  s.ran = !(dry_run && !options.read_only);
  sent.push_back(s);
  if (!s.ran) return ShellResult{0, true, "", ""};
  return respond ? respond(s.step, script) : ShellResult{};
}

void RecordingShell::copy_to_node(const std::string &local_path, const std::string &remote_path, uint32_t) {
  copies.emplace_back(local_path, remote_path);
  if (on_copy) on_copy(local_path, remote_path);
}

std::vector<std::string> RecordingShell::steps() const {
  std::vector<std::string> out;
  for (const auto &s : sent)
    if (s.ran) out.push_back(s.step);
  return out;
}

PhaseCall::PhaseCall(std::string phase, std::string target, bool dry_run)
    : phase_(std::move(phase)), target_(std::move(target)) {
  raw_.struct_size = sizeof raw_;
  raw_.host_ctx = this;
  raw_.phase_id = kup::to_kup(phase_);
  raw_.target_version = kup::to_kup(target_);
  raw_.flags = dry_run ? KUP_CALL_DRY_RUN : 0u;
  raw_.out = out_.get();
  raw_.set_outcome = &PhaseCall::set_outcome;
}

void KUP_ABI PhaseCall::set_outcome(const kup_phase_call *self, uint32_t outcome, kup_str summary) {
  auto *me = static_cast<PhaseCall *>(self->host_ctx);
  me->outcome = static_cast<int>(outcome);
  me->summary.assign(kup::to_sv(summary));
}

}  // namespace kuphost::test
