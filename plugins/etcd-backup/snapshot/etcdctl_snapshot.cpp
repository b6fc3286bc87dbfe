#include "etcdctl_snapshot.h"

#include <sstream>

#include "snapshot_error.h"

namespace kuphost_plugins::etcd_backup {
namespace {

// etcdctl 3.3 and older default to the v2 API; 3.4+ ignore this.
const std::string kApiVersion3 = "ETCDCTL_API=3";
// etcdctl enforces --command-timeout itself; the runner's limit, a little
// above it, only catches an etcdctl that hangs anyway.
constexpr std::chrono::seconds kRunnerSlack{30};

std::string millis_flag(const char *name, std::chrono::milliseconds value) {
  return std::string("--") + name + "=" + std::to_string(value.count()) + "ms";
}

// What to quote from a failed etcdctl: its "Error: ..." line (after the zap
// JSON log lines of 3.5+), else the last non-empty line of stderr or stdout.
std::string error_line(const CommandResult &result) {
  std::string last, error;
  for (const std::string *text : {&result.out, &result.err}) {
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      if (line.rfind("Error:", 0) == 0) error = line;
      last = line;
    }
  }
  if (!error.empty()) return error;
  return last.empty() ? "no output" : last;
}

std::string exit_text(const CommandResult &result) {
  if (result.timed_out) return "timed out";
  if (result.term_signal != 0) return "killed by signal " + std::to_string(result.term_signal);
  return "exit code " + std::to_string(result.exit_code);
}

}  // namespace

std::vector<std::string> etcdctl_snapshot_save_argv(const EtcdctlSettings &settings, const EtcdClientTls &member,
                                                    const std::filesystem::path &file) {
  std::vector<std::string> argv{settings.etcdctl, "--endpoints=" + member.endpoint,
                                "--cacert=" + member.ca_cert.string()};
  if (!member.client_cert.empty()) argv.push_back("--cert=" + member.client_cert.string());
  if (!member.client_key.empty()) argv.push_back("--key=" + member.client_key.string());
  argv.push_back(millis_flag("dial-timeout", settings.dial_timeout));
  argv.push_back(millis_flag("command-timeout", settings.command_timeout));
  argv.insert(argv.end(), {"snapshot", "save", file.string()});
  return argv;
}

void save_snapshot_with_etcdctl(CommandRunner &runner, const EtcdctlSettings &settings,
                                const EtcdClientTls &member, const std::filesystem::path &file,
                                const std::filesystem::path &file_here) {
  Command command;
  command.argv = etcdctl_snapshot_save_argv(settings, member, file);
  command.env = {kApiVersion3};
  command.timeout = settings.dial_timeout + settings.command_timeout + kRunnerSlack;
  const CommandResult result = runner.run(command);
  if (!result.succeeded())
    throw SnapshotError("etcdctl snapshot save from " + member.endpoint + " failed (" + exit_text(result) +
                        "): " + error_line(result));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file_here.empty() ? file : file_here, ec))
    throw SnapshotError("etcdctl snapshot save from " + member.endpoint + " reported success but " +
                        file.string() + " does not exist");
}

SnapshotStatus read_snapshot_status(CommandRunner &runner, const std::string &program,
                                    const std::filesystem::path &file) {
  Command command;
  command.argv = {program, "snapshot", "status", file.string(), "-w", "json"};
  command.env = {kApiVersion3};
  command.timeout = std::chrono::minutes(2);
  command.read_only = true;
  const CommandResult result = runner.run(command);
  if (!result.succeeded())
    throw SnapshotError(program + " snapshot status " + file.string() + " failed (" + exit_text(result) +
                        "): " + error_line(result));
  return parse_snapshot_status_json(result.out);
}

}  // namespace kuphost_plugins::etcd_backup
