#include "real_etcd.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "loopback_port.h"
#include "tls_health_probe.h"

extern char **environ;

namespace kuphost::test::etcd {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kStartAttempts = 3;
constexpr auto kPollInterval = 50ms;
constexpr auto kStopGrace = 10s;
constexpr int kPutsPerTransaction = 1000;  // = the server's --max-txn-ops

// The test's environment minus ETCD_* and ETCDCTL_*, which etcd reads as
// flags: the server must be configured by its argv only.
std::vector<std::string> server_environment() {
  std::vector<std::string> env;
  for (char **e = environ; *e; ++e)
    if (std::strncmp(*e, "ETCD", 4) != 0) env.emplace_back(*e);
  return env;
}

pid_t spawn_with_log(const std::vector<std::string> &argv, const std::filesystem::path &log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> env = server_environment();
  std::vector<char *> args, envp;
  std::vector<std::string> argv_copy = argv;
  for (auto &a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  for (auto &e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

std::string output_of(const ProcessResult &r) {
  return "exit " + std::to_string(r.exit_code) + ", stdout: " + r.out + ", stderr: " + r.err;
}

void require_executable(const std::filesystem::path &program, const char *package) {
  if (::access(program.c_str(), X_OK) != 0)
    throw std::runtime_error(program.string() + " is missing: the etcd tests need a real etcd. Run "
                             "scripts/install-deps.sh (it installs Debian's etcd-server and etcd-client; " +
                             package + " provides " + program.filename().string() + ")");
}

}  // namespace

void require_etcd_installed(const RealEtcdOptions &options) {
  require_executable(options.etcd, "etcd-server");
  require_executable(options.etcdctl, "etcd-client");
}

RealEtcd::RealEtcd(const std::filesystem::path &work_dir, EtcdPki pki, RealEtcdOptions options)
    : pki_(std::move(pki)),
      options_(std::move(options)),
      data_dir_(work_dir / "data"),
      log_file_(work_dir / "etcd.log") {
  require_etcd_installed(options_);
  std::filesystem::create_directories(work_dir);
  for (int attempt = 1;; ++attempt) {
    client_port_ = free_loopback_port();
    do peer_port_ = free_loopback_port();
    while (peer_port_ == client_port_);
    // etcd 3.4's restore refuses an existing data dir, and a restored member
    // keeps the peer URL it was restored with: restore per attempt.
    std::filesystem::remove_all(data_dir_);
    if (options_.restore_from) restore(*options_.restore_from);
    if (start_once()) return;
    if (attempt == kStartAttempts)
      throw std::runtime_error("etcd could not bind free loopback ports " + std::to_string(kStartAttempts) +
                               " times; log " + log_file_.string() + ":\n" + log_tail());
  }
}

RealEtcd::~RealEtcd() { stop(); }

void RealEtcd::restart() {
  stop();
  if (!start_once())
    throw std::runtime_error("etcd could not bind its ports again; log " + log_file_.string() + ":\n" + log_tail());
}

void RealEtcd::restore(const std::filesystem::path &snapshot) const {
  const ProcessResult r = run_process(
      {options_.etcdctl.string(), "snapshot", "restore", snapshot.string(), "--data-dir", data_dir_.string(),
       "--name", name(), "--initial-cluster", name() + "=" + peer_url(), "--initial-advertise-peer-urls", peer_url()},
      {"ETCDCTL_API=3"});
  if (r.exit_code != 0) throw std::runtime_error("etcdctl snapshot restore " + snapshot.string() + ": " + output_of(r));
}

bool RealEtcd::start_once() {
  // kubeadm's etcd.yaml flags, on our ports and paths; plus --max-txn-ops
  // for put_many and zap logging (3.4 only writes zap to a stream).
  const std::vector<std::string> argv{
      options_.etcd.string(), "--name=" + name(), "--data-dir=" + data_dir_.string(),
      "--listen-client-urls=" + client_url(), "--advertise-client-urls=" + client_url(),
      "--listen-peer-urls=" + peer_url(), "--initial-advertise-peer-urls=" + peer_url(),
      "--initial-cluster=" + name() + "=" + peer_url(),
      "--cert-file=" + pki_.server().cert.string(), "--key-file=" + pki_.server().key.string(),
      "--client-cert-auth=true", "--trusted-ca-file=" + pki_.ca_cert().string(),
      "--peer-cert-file=" + pki_.peer().cert.string(), "--peer-key-file=" + pki_.peer().key.string(),
      "--peer-client-cert-auth=true", "--peer-trusted-ca-file=" + pki_.ca_cert().string(),
      "--snapshot-count=10000", "--max-txn-ops=" + std::to_string(kPutsPerTransaction),
      "--logger=zap", "--log-outputs=stderr"};
  const auto started = Clock::now();
  pid_ = spawn_with_log(argv, log_file_);
  const auto deadline = started + options_.ready_timeout;
  std::string why;
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string log = log_tail();
      if (log.find("address already in use") != std::string::npos) return false;
      throw std::runtime_error("etcd exited during startup (status " + std::to_string(status) + "); log " +
                               log_file_.string() + ":\n" + log);
    }
    if (etcd_reports_healthy(client_port_, pki_.ca_cert(), pki_.healthcheck_client(), &why)) {
      time_to_healthy_ = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
      return true;
    }
    if (Clock::now() > deadline) {
      stop();
      throw std::runtime_error("etcd was not healthy after " + std::to_string(options_.ready_timeout.count()) +
                               " ms (last probe: " + why + "); log " + log_file_.string() + ":\n" + log_tail());
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

void RealEtcd::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopGrace;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  pid_ = -1;
}

std::string RealEtcd::log_tail() const {
  const std::string log = read_file(log_file_);
  constexpr size_t kTail = 3000;
  return log.size() <= kTail ? log : "..." + log.substr(log.size() - kTail);
}

kuphost_plugins::etcd_backup::EtcdClientTls RealEtcd::healthcheck_client() const {
  return {client_url(), pki_.ca_cert(), pki_.healthcheck_client().cert, pki_.healthcheck_client().key};
}

kuphost_plugins::etcd_backup::EtcdClientTls RealEtcd::apiserver_client() const {
  return {client_url(), pki_.ca_cert(), pki_.apiserver_etcd_client().cert, pki_.apiserver_etcd_client().key};
}

ProcessResult RealEtcd::etcdctl(const std::vector<std::string> &args, const std::string &stdin_data) const {
  std::vector<std::string> argv{options_.etcdctl.string(), "--endpoints=" + client_url(),
                                "--cacert=" + pki_.ca_cert().string(),
                                "--cert=" + pki_.healthcheck_client().cert.string(),
                                "--key=" + pki_.healthcheck_client().key.string(), "--dial-timeout=2s",
                                "--command-timeout=30s"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {"ETCDCTL_API=3"}, stdin_data);
}

void RealEtcd::put(const std::string &key, const std::string &value) const {
  if (const ProcessResult r = etcdctl({"put", key, value}); r.exit_code != 0)
    throw std::runtime_error("etcdctl put " + key + ": " + output_of(r));
}

std::optional<std::string> RealEtcd::get(const std::string &key) const {
  // -w json would base64 everything; `get KEY` prints KEY\nVALUE\n or nothing.
  const ProcessResult r = etcdctl({"get", key});
  if (r.exit_code != 0) throw std::runtime_error("etcdctl get " + key + ": " + output_of(r));
  if (r.out.empty()) return std::nullopt;
  const std::string prefix = key + "\n";
  if (r.out.rfind(prefix, 0) != 0) throw std::runtime_error("etcdctl get " + key + ": unexpected " + r.out);
  std::string value = r.out.substr(prefix.size());
  if (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

std::map<std::string, std::string> RealEtcd::entries_with_prefix(const std::string &prefix) const {
  // KEY\nVALUE\n per entry; the fixture's keys and values have no newlines.
  const ProcessResult r = etcdctl({"get", prefix, "--prefix"});
  if (r.exit_code != 0) throw std::runtime_error("etcdctl get --prefix " + prefix + ": " + output_of(r));
  std::map<std::string, std::string> entries;
  std::istringstream lines(r.out);
  for (std::string key, value; std::getline(lines, key) && std::getline(lines, value);) entries[key] = value;
  return entries;
}

void RealEtcd::put_many(const std::string &prefix, int count) const {
  // `etcdctl txn` reads compares, a blank line, success ops, a blank line,
  // failure ops, a blank line (test-recipes.md §3).
  for (int first = 0; first < count; first += kPutsPerTransaction) {
    std::string txn = "\n";
    for (int i = first; i < std::min(count, first + kPutsPerTransaction); ++i)
      txn += "put " + prefix + std::to_string(i) + " value-" + std::to_string(i) + "\n";
    txn += "\n\n";
    if (const ProcessResult r = etcdctl({"txn"}, txn); r.exit_code != 0 || r.out.rfind("SUCCESS", 0) != 0)
      throw std::runtime_error("etcdctl txn: " + output_of(r));
  }
}

}  // namespace kuphost::test::etcd
