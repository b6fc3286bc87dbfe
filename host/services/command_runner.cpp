#include "services/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "services/cancel.h"
#include "support/strings.h"

extern char **environ;

namespace kuphost {
namespace {

// Closes a descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

struct Pipe {
  Fd read, write;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read.reset(fds[0]);
    write.reset(fds[1]);
    return true;
  }
};

// Splits a growing buffer into complete lines for the streaming callbacks.
class LineSplitter {
 public:
  explicit LineSplitter(const std::function<void(std::string_view)> &cb) : cb_(cb) {}
  void feed(std::string_view data) {
    if (!cb_) return;
    pending_.append(data);
    size_t nl;
    while ((nl = pending_.find('\n')) != std::string::npos) {
      cb_(std::string_view(pending_).substr(0, nl));
      pending_.erase(0, nl + 1);
    }
  }
  void finish() {
    if (cb_ && !pending_.empty()) cb_(pending_);
    pending_.clear();
  }

 private:
  const std::function<void(std::string_view)> &cb_;
  std::string pending_;
};

// Ends a child that outlives its deadline or the operator's patience:
// SIGTERM to its process group, SIGKILL 5 s later.
class DeadlineEnforcer {
 public:
  DeadlineEnforcer(pid_t pid, std::chrono::steady_clock::time_point deadline) : pid_(pid), deadline_(deadline) {}
  void check(CommandResult &result) {
    const auto now = std::chrono::steady_clock::now();
    if (!term_sent_ && (now >= deadline_ || cancel_requested())) {
      result.timed_out = now >= deadline_;
      ::kill(-pid_, SIGTERM);
      term_sent_ = true;
      kill_at_ = now + std::chrono::seconds(5);
    } else if (term_sent_ && now >= kill_at_) {
      ::kill(-pid_, SIGKILL);
      kill_at_ = now + std::chrono::hours(1);
    }
  }

 private:
  pid_t pid_;
  std::chrono::steady_clock::time_point deadline_, kill_at_;
  bool term_sent_ = false;
};

std::vector<std::string> build_env(const std::vector<std::string> &base_overrides,
                                   const std::vector<std::string> &command_env) {
  std::map<std::string, std::string> env;
  for (char **e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos) env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  for (const auto *list : {&base_overrides, &command_env}) {
    for (const auto &kv : *list) {
      const auto eq = kv.find('=');
      if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  std::vector<std::string> out;
  for (auto &[k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace

RealCommandRunner::RealCommandRunner(std::vector<std::filesystem::path> search_path,
                                     std::vector<std::string> base_env_overrides)
    : search_path_(std::move(search_path)), base_env_overrides_(std::move(base_env_overrides)) {}

std::filesystem::path RealCommandRunner::resolve(const std::string &program) const {
  if (program.empty()) return {};
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0 ? std::filesystem::path(program) : std::filesystem::path();
  std::vector<std::filesystem::path> dirs = search_path_;
  if (dirs.empty()) {
    const char *path = std::getenv("PATH");
    for (auto &d : split(path ? path : "/usr/local/bin:/usr/bin:/bin", ':')) dirs.emplace_back(d);
  }
  for (const auto &dir : dirs) {
    const auto candidate = dir / program;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
      return candidate;
  }
  return {};
}

CommandResult RealCommandRunner::run(const Command &command) {
  CommandResult result;
  const auto start = std::chrono::steady_clock::now();
  if (command.argv.empty()) {
    result.spawn_error = "empty command";
    return result;
  }
  const auto program = resolve(command.argv[0]);
  if (program.empty()) {
    result.spawn_error = "command not found: " + command.argv[0];
    return result;
  }

  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    result.spawn_error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group, so a timeout kills the whole tree; default signals.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> argv_store = command.argv;
  std::vector<char *> argv;
  for (auto &a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_store = build_env(base_env_overrides_, command.env);
  std::vector<char *> envp;
  for (auto &e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    result.spawn_error = program.string() + ": " + std::strerror(rc);
    return result;
  }
  result.started = true;
  in.read.reset();
  out.write.reset();
  err.write.reset();

  // Feed stdin, collect stdout/stderr, watch the deadline.
  size_t stdin_off = 0;
  if (command.stdin_data.empty()) in.write.reset();
  else ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);
  LineSplitter out_lines(command.on_stdout_line), err_lines(command.on_stderr_line);
  DeadlineEnforcer deadline(pid, start + command.timeout);
  char buf[16384];
  while (out.read.get() >= 0 || err.read.get() >= 0) {
    pollfd fds[3];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (out.read.get() >= 0) { out_i = n; fds[n++] = {out.read.get(), POLLIN, 0}; }
    if (err.read.get() >= 0) { err_i = n; fds[n++] = {err.read.get(), POLLIN, 0}; }
    if (in.write.get() >= 0) { in_i = n; fds[n++] = {in.write.get(), POLLOUT, 0}; }
    deadline.check(result);
    const int wait_ms = 100;
    const int pr = ::poll(fds, n, wait_ms);
    if (pr < 0 && errno != EINTR) break;
    if (pr <= 0) continue;
    auto drain = [&](int idx, Fd &fd, std::string &sink, LineSplitter &lines) {
      if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) return;
      const ssize_t got = ::read(fd.get(), buf, sizeof buf);
      if (got > 0) {
        sink.append(buf, static_cast<size_t>(got));
        lines.feed(std::string_view(buf, static_cast<size_t>(got)));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        fd.reset();
      }
    };
    drain(out_i, out.read, result.out, out_lines);
    drain(err_i, err.read, result.err, err_lines);
    if (in_i >= 0 && (fds[in_i].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t put = ::write(in.write.get(), command.stdin_data.data() + stdin_off,
                                  command.stdin_data.size() - stdin_off);
      if (put > 0) stdin_off += static_cast<size_t>(put);
      if (put < 0 && errno != EAGAIN && errno != EINTR) in.write.reset();
      if (stdin_off >= command.stdin_data.size()) in.write.reset();
    }
  }
  out_lines.finish();
  err_lines.finish();
  in.write.reset();

  // Output closed; the child may still run (it closed its pipes): keep the deadline.
  int status = 0;
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    deadline.check(result);
    ::usleep(10000);
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  return result;
}

}  // namespace kuphost
