#include "etcd_supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "clock_text.h"
#include "etcd_members.h"
#include "fs_util.h"
#include "kubelet_watch.h"
#include "sandbox_file.h"

extern char **environ;

namespace kuphost::sandbox::apiserver {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kPollInterval = 200ms;
constexpr auto kStopGrace = 3s;  // kuphost-apiserver itself gets 5 s from apiserver_down
constexpr auto kFirstBackoff = 1s, kMaxBackoff = 10s;  // a crashing member, as kubelet's CrashLoopBackOff
constexpr int kMaxMembers = 16;

// The running members' pids, for the signal handler: the poll thread is the
// only writer.
std::atomic<pid_t> g_member_pids[kMaxMembers];
char g_pid_files[kMaxMembers][4096];  // their pid files, for unlink(2) there

struct Member {
  detail::SandboxNode node;
  fs::path root;
  int slot = 0;              // index into g_member_pids
  pid_t pid = -1;
  std::string started_manifest, started_inode;  // what it was started with
  KubeletWatch kubelet;
  Clock::time_point next_start{};
  Clock::duration backoff = kFirstBackoff;
  std::string last_problem;  // logged once, not every poll
};

// Appends to the member's log, which start() creates: a sandbox being
// deleted under us (a test's temporary directory) gets no new files.
void log_line(const fs::path &sandbox, const Member &m, const std::string &text) {
  const fs::path log = detail::etcd_member_log_path(sandbox, m.node.name);
  const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return;
  const std::string line = "kuphost-apiserver " + detail::now_rfc3339() + ": " + text + "\n";
  (void)!::write(fd, line.data(), line.size());
  ::close(fd);
}

// Written whole (temp + rename) for readers in other processes, and never
// making directories: a sandbox being deleted under us stays deleted.
void write_pid_file(const fs::path &path, pid_t pid) {
  const fs::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const std::string text = std::to_string(pid) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written || ::rename(temp.c_str(), path.c_str()) != 0) ::unlink(temp.c_str());
}

// The data dir's identity: a restore renames another directory into place.
// Empty when it is missing.
std::string inode_of(const fs::path &data_dir) {
  struct stat st {};
  if (::stat(data_dir.c_str(), &st) != 0) return {};
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

std::string data_dir_of(const Member &m, const std::string &manifest) {
  const auto flags = detail::etcd_manifest_flags(manifest);
  const auto it = flags.find("data-dir");
  return detail::in_root(m.root, it == flags.end() ? "/var/lib/etcd" : it->second).string();
}

// The daemon's environment minus ETCD_* / ETCDCTL_*, which etcd reads as
// flags: a member is configured by its argv only.
std::vector<std::string> member_environment() {
  std::vector<std::string> env;
  for (char **e = environ; *e; ++e)
    if (std::strncmp(*e, "ETCD", 4) != 0) env.emplace_back(*e);
  return env;
}

// fork+exec rather than posix_spawn: the child must ask for PR_SET_PDEATHSIG
// so that it dies with the daemon even when the daemon is SIGKILLed. The
// death signal follows the forking thread, which is the poll thread that
// lives as long as the process.
pid_t spawn_member(const std::vector<std::string> &argv, const fs::path &log) {
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log.string() + ": " + std::strerror(errno));
  std::vector<std::string> args = argv, env = member_environment();
  std::vector<char *> argp, envp;
  for (auto &a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  for (auto &e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {  // only async-signal-safe calls from here to exec
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the daemon died before prctl
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);  // not the API server's listening socket
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::execve(argp[0], argp.data(), envp.data());
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(log_fd);
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(fork_errno));
  return pid;
}

void sleep_briefly() {
  const timespec pause{0, 20 * 1000 * 1000};
  ::nanosleep(&pause, nullptr);
}

// SIGTERM, SIGKILL after the grace period; reaps. Async-signal-safe.
void terminate_and_reap(pid_t pid) {
  ::kill(pid, SIGTERM);
  const auto polls = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(kStopGrace).count() / 20);
  for (int i = 0; i < polls; ++i) {
    const pid_t r = ::waitpid(pid, nullptr, WNOHANG);
    if (r == pid || r < 0) return;  // reaped, or no longer our child
    sleep_briefly();
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

class Supervisor {
 public:
  explicit Supervisor(fs::path sandbox) : sandbox_(std::move(sandbox)) {}

  // false: nothing to supervise.
  bool load() {
    file_ = detail::read_sandbox_file(sandbox_);
    if (file_.etcd != "stacked") return false;
    for (const auto &n : file_.nodes) {
      if (!n.is_control_plane() || !n.has_etcd_member() || static_cast<int>(members_.size()) == kMaxMembers) continue;
      Member m;
      m.node = n;
      m.root = sandbox_ / "nodes" / n.name / "root";
      m.kubelet = KubeletWatch(m.root);
      m.slot = static_cast<int>(members_.size());
      const std::string pid_file = detail::etcd_member_pid_path(sandbox_, n.name).string();
      std::snprintf(g_pid_files[m.slot], sizeof g_pid_files[m.slot], "%s", pid_file.c_str());
      members_.push_back(std::move(m));
    }
    return !members_.empty();
  }

  [[noreturn]] void run() {
    etcd_ = detail::real_etcd_binary();
    for (;;) {
      for (auto &m : members_) {
        try {
          reconcile(m);
        } catch (const std::exception &e) {
          problem(m, e.what());
        }
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  }

 private:
  void problem(Member &m, const std::string &what) {
    if (what == m.last_problem) return;
    m.last_problem = what;
    log_line(sandbox_, m, what);
    std::cerr << "kuphost-apiserver: etcd member " << m.node.name << ": " << what << std::endl;
  }

  void reap_if_exited(Member &m) {
    if (m.pid <= 0) return;
    int status = 0;
    if (::waitpid(m.pid, &status, WNOHANG) != m.pid) return;
    const std::string how = WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                              : "was killed by signal " + std::to_string(WTERMSIG(status));
    log_line(sandbox_, m, "etcd (pid " + std::to_string(m.pid) + ") " + how + "; restarting in " +
                              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(m.backoff).count()) + " s");
    forget(m);
    m.next_start = Clock::now() + m.backoff;
    m.backoff = std::min<Clock::duration>(m.backoff * 2, kMaxBackoff);
  }

  void forget(Member &m) {
    g_member_pids[m.slot].store(-1);
    m.pid = -1;
    std::error_code ec;
    fs::remove(detail::etcd_member_pid_path(sandbox_, m.node.name), ec);
  }

  void stop(Member &m, const std::string &why) {
    log_line(sandbox_, m, "stopping etcd (pid " + std::to_string(m.pid) + "): " + why);
    terminate_and_reap(m.pid);
    forget(m);
  }

  void start(Member &m, const std::string &manifest) {
    if (etcd_.empty()) return problem(m, "no etcd on this machine (set $KUPHOST_ETCD or install etcd-server)");
    const auto argv = detail::etcd_member_argv(etcd_, file_, m.node, m.root, manifest);
    // The kubelet's DirectoryOrCreate volume; etcd wants 0700.
    const fs::path data_dir = data_dir_of(m, manifest);
    if (!fs::exists(data_dir)) detail::make_dirs(data_dir, 0700);
    m.started_manifest = manifest;
    m.started_inode = inode_of(data_dir);
    const fs::path log = detail::etcd_member_log_path(sandbox_, m.node.name);
    const int created = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (created >= 0) ::close(created);
    std::string line = "starting";
    for (const auto &a : argv) line += " " + a;
    log_line(sandbox_, m, line);
    m.pid = spawn_member(argv, log);
    g_member_pids[m.slot].store(m.pid);
    write_pid_file(detail::etcd_member_pid_path(sandbox_, m.node.name), m.pid);
    m.last_problem.clear();
  }

  void reconcile(Member &m) {
    reap_if_exited(m);
    if (!m.kubelet.active()) return;
    const auto manifest = detail::read_file_if_exists(detail::etcd_manifest_path(m.root));
    if (!manifest) {
      if (m.pid > 0) stop(m, "etcd.yaml is gone");
      m.backoff = kFirstBackoff;
      m.next_start = {};
      return;
    }
    // A removed data dir alone is no reason: a running container keeps its
    // deleted directory (and kubeadm's etcd rollback removes, then copies).
    const std::string inode = inode_of(data_dir_of(m, *manifest));
    const bool swapped = !inode.empty() && inode != m.started_inode;
    if (m.pid > 0 && (*manifest != m.started_manifest || swapped)) {
      stop(m, swapped ? "the data dir was replaced" : "etcd.yaml changed");
      m.backoff = kFirstBackoff;
      m.next_start = {};
    }
    // A sandbox being deleted (the server exits within a second) gets no new member.
    if (m.pid <= 0 && Clock::now() >= m.next_start && fs::exists(detail::sandbox_file_path(sandbox_)))
      start(m, *manifest);
  }

  fs::path sandbox_, etcd_;
  detail::SandboxFile file_;
  std::vector<Member> members_;
};

}  // namespace

void start_etcd_supervisor(const fs::path &sandbox_dir) {
  for (auto &pid : g_member_pids) pid.store(-1);
  auto supervisor = std::make_shared<Supervisor>(sandbox_dir);
  if (!supervisor->load()) return;
  std::thread([supervisor] { supervisor->run(); }).detach();
}

void stop_all_etcd_members() {
  pid_t pids[kMaxMembers];
  for (int i = 0; i < kMaxMembers; ++i) {
    pids[i] = g_member_pids[i].exchange(-1);
    if (pids[i] > 0) ::kill(pids[i], SIGTERM);  // all at once, so they stop in parallel
  }
  for (int i = 0; i < kMaxMembers; ++i) {
    if (pids[i] <= 0) continue;
    terminate_and_reap(pids[i]);
    ::unlink(g_pid_files[i]);
  }
}

}  // namespace kuphost::sandbox::apiserver
