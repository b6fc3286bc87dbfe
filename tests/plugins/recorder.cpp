// The executor's test subject: five phases in different stages that append
// "apply pN" / "rollback pN" / "verify pN" to a log file, with failures and
// stalls injected through its config section:
//   recorder:
//     log: /tmp/x/calls.log      # where calls are recorded (a host path)
//     fail-at: 3                 # apply of p3 fails
//     fail-verify-at: 2          # verify of p2 fails
//     fail-rollback-at: 1        # rollback of p1 fails
//     stall-at: 4                # apply of p4 writes <stall-file> and sleeps until killed
//     stall-file: /tmp/x/stalled
// Apply is deliberately not idempotent: a double apply shows in the log.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

#include <kuphost/kuphost.hpp>

class Recorder {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "Records phase calls for executor tests";
    const kup_stage stages[] = {KUP_STAGE_PREFLIGHT, KUP_STAGE_BACKUP, KUP_STAGE_CONTROL_PLANE,
                                KUP_STAGE_KUBELET_RESTART, KUP_STAGE_VERIFY};
    for (int i = 1; i <= 5; ++i) {
      kup::PhaseSpec p;
      p.id = "p" + std::to_string(i);
      p.title = "Recorder phase " + std::to_string(i);
      p.stage = stages[i - 1];
      if (i == 3) p.flags = KUP_PHASE_PLANS_POWERSHELL;  // for `plan -o powershell`
      p.plan = kup::phase<&Recorder::plan>();
      p.apply = kup::phase<&Recorder::apply>();
      p.verify = kup::phase<&Recorder::verify>();
      p.rollback = kup::phase<&Recorder::rollback>();
      info.phases.push_back(p);
    }
    for (const char *k : {"log", "stall-file"}) info.config_keys.push_back({k, KUP_CONFIG_STRING, "", ""});
    for (const char *k : {"fail-at", "fail-verify-at", "fail-rollback-at", "stall-at"})
      info.config_keys.push_back({k, KUP_CONFIG_INT, "", ""});
  }

  explicit Recorder(kup::Host host) : host_(host) {
    log_ = host.config("log").value_or("");
    if (log_.empty()) throw kup::Error(KUP_E_INVALID_CONFIG, "recorder.log is required");
  }

  void plan(const kup::Call &call) {
    if (call.plan_powershell()) call.out("Write-Output 'would record " + std::string(call.phase_id()) + "'");
    else call.out("would record " + std::string(call.phase_id()));
  }

  void apply(const kup::Call &call) {
    const int n = number(call);
    if (n == setting("stall-at") && !call.dry_run()) {
      std::ofstream(host_.config("stall-file").value_or(log_ + ".stalled")) << n << "\n";
      for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));  // until kill -9
    }
    record("apply", call);
    if (n == setting("fail-at")) throw kup::Error(KUP_E_COMMAND_FAILED, "injected failure in p" + std::to_string(n));
    call.changed("recorded p" + std::to_string(n));
  }

  void verify(const kup::Call &call) {
    record("verify", call);
    if (number(call) == setting("fail-verify-at")) throw kup::Error(KUP_E_COMMAND_FAILED, "injected verify failure");
  }

  void rollback(const kup::Call &call) {
    record("rollback", call);
    if (number(call) == setting("fail-rollback-at")) throw kup::Error(KUP_E_COMMAND_FAILED, "injected rollback failure");
  }

 private:
  static int number(const kup::Call &call) { return std::stoi(std::string(call.phase_id().substr(1))); }
  int setting(const char *key) const {
    auto v = host_.config(key);
    return v ? std::stoi(*v) : -1;
  }
  void record(const char *what, const kup::Call &call) {
    const std::string line = std::string(what) + " " + std::string(call.phase_id()) +
                             (call.resumed() ? " resumed" : "") + (call.dry_run() ? " dry-run" : "") + "\n";
    // O_APPEND + one write: a line is never torn by a kill.
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw kup::Error(KUP_E_IO, "cannot open " + log_);
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!ok) throw kup::Error(KUP_E_IO, "cannot write " + log_);
  }

  kup::Host host_;
  std::string log_;
};

KUPHOST_PLUGIN(Recorder, "recorder", "1.0.0")
