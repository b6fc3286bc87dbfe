// A phase that changes the node and cannot be undone (like `kubeadm upgrade
// apply`): it has no rollback. Ordered right after recorder/p3.
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include <kuphost/kuphost.hpp>

class OneWay {
 public:
  static void describe(kup::PluginInfo &info) {
    info.description = "An irreversible phase for executor tests";
    kup::PhaseSpec p;
    p.id = "irreversible";
    p.stage = KUP_STAGE_CONTROL_PLANE;
    p.after = {"recorder/p3"};
    p.apply = kup::phase<&OneWay::apply>();
    info.phases = {p};
    info.config_keys = {{"log", KUP_CONFIG_STRING, "", ""}};
  }
  explicit OneWay(kup::Host host) : log_(host.config("log").value_or("")) {}
  void apply(const kup::Call &call) {
    const std::string line = std::string("apply oneway") + (call.dry_run() ? " dry-run" : "") + "\n";
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
      throw kup::Error(KUP_E_IO, "cannot record to " + log_);
    ::close(fd);
  }

 private:
  std::string log_;
};

KUPHOST_PLUGIN(OneWay, "oneway", "1.0.0")
