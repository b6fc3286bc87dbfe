// apiserver_status / apiserver_up / apiserver_down: the kuphost-apiserver
// process of a sandbox, started detached so it outlives `kuphost sandbox up`.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cluster_state.h"
#include "fs_util.h"
#include "kuphost/sandbox/apiserver.h"
#include "loopback.h"

namespace kuphost::sandbox {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kStartTimeout = 10s;
constexpr auto kStopTimeout = 5s;

fs::path cluster_dir(const fs::path &dir) { return dir / "cluster"; }
fs::path pid_file(const fs::path &dir) { return cluster_dir(dir) / "apiserver.pid"; }
fs::path port_file(const fs::path &dir) { return cluster_dir(dir) / "apiserver.port"; }
fs::path log_file(const fs::path &dir) { return cluster_dir(dir) / "apiserver.log"; }
fs::path kubectl_path_file(const fs::path &dir) { return cluster_dir(dir) / "kubectl-path"; }

int read_int(const fs::path &path) {
  const auto text = detail::read_file_if_exists(path);
  if (!text) return 0;
  try {
    return std::stoi(*text);
  } catch (const std::exception &) {
    return 0;
  }
}

// Alive, not a zombie waiting for a lazy init to reap it, and really this
// sandbox's server (pids are reused).
bool is_our_server(int pid, const fs::path &dir) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  const auto stat = detail::read_file_if_exists("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return false;
  const size_t paren = stat->rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat->size() || (*stat)[paren + 2] == 'Z') return false;
  const auto cmdline = detail::read_file_if_exists("/proc/" + std::to_string(pid) + "/cmdline");
  if (!cmdline) return false;
  return cmdline->find("kuphost-apiserver") != std::string::npos &&
         cmdline->find(std::string("--sandbox") + '\0' + dir.string() + '\0') != std::string::npos;
}

std::string last_log_line(const fs::path &dir) {
  const auto text = detail::read_file_if_exists(log_file(dir));
  if (!text) return "(no log)";
  std::string t = *text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  const size_t nl = t.rfind('\n');
  const std::string line = nl == std::string::npos ? t : t.substr(nl + 1);
  return line.empty() ? "(empty log)" : line;
}

// `server:` of every kubeconfig the sandbox holds, as text so the files keep
// their layout; only files that change are written.
void point_kubeconfigs_at(const fs::path &dir, int port) {
  std::vector<fs::path> files{dir / "kubeconfig"};
  std::error_code ec;
  for (fs::directory_iterator n(dir / "nodes", ec), end; !ec && n != end; n.increment(ec)) {
    std::error_code ec2;
    for (fs::directory_iterator f(n->path() / "root/etc/kubernetes", ec2), end2; !ec2 && f != end2; f.increment(ec2))
      if (f->path().extension() == ".conf" && f->is_regular_file()) files.push_back(f->path());
  }
  const std::string server = "https://127.0.0.1:" + std::to_string(port);
  for (const auto &file : files) {
    const auto text = detail::read_file_if_exists(file);
    if (!text) continue;
    std::string out;
    size_t pos = 0;
    while (pos < text->size()) {
      size_t end = text->find('\n', pos);
      if (end == std::string::npos) end = text->size();
      std::string line = text->substr(pos, end - pos);
      const size_t indent = line.find_first_not_of(' ');
      if (indent != std::string::npos && line.compare(indent, 8, "server: ") == 0)
        line = line.substr(0, indent) + "server: " + server;
      out += line;
      if (end < text->size()) out += '\n';
      pos = end + 1;
    }
    if (out != *text) {
      const auto perms = fs::status(file).permissions();
      detail::write_file_atomic(file, out, static_cast<mode_t>(perms) & 07777);
    }
  }
}

// Records the real kubectl the nodes' wrapper runs, when none is recorded
// yet or the recorded one is gone. Returns a warning when there is none.
std::string record_kubectl(const fs::path &dir) {
  const auto recorded = detail::read_file_if_exists(kubectl_path_file(dir));
  std::string current = recorded ? *recorded : "";
  while (!current.empty() && current.back() == '\n') current.pop_back();
  if (!current.empty() && ::access(current.c_str(), X_OK) == 0) return {};
  std::string error;
  const auto kubectl = find_real_kubectl(detail::read_cluster(dir).kubernetes_version, &error);
  if (!kubectl) return error;
  detail::write_file_atomic(kubectl_path_file(dir), kubectl->string() + "\n", 0644);
  return {};
}

class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe &) = delete;
  Pipe &operator=(const Pipe &) = delete;
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_read() {
    if (fds_[0] >= 0) ::close(fds_[0]);
    fds_[0] = -1;
  }
  void close_write() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

// Double fork: the server gets its own session and is reparented to init, so
// it survives the kuphost that started it and never becomes our zombie. Only
// async-signal-safe calls between fork and exec. Returns the server's pid.
int spawn_detached(const std::vector<std::string> &args, const fs::path &log, int ready_fd, Pipe &pid_pipe) {
  const int pid_fd = pid_pipe.write_end();
  std::vector<char *> argv;
  for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  const std::string log_path = log.string();
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    ::setsid();
    const pid_t server = ::fork();
    if (server < 0) ::_exit(127);
    if (server > 0) {
      const int value = server;
      (void)!::write(pid_fd, &value, sizeof value);
      ::_exit(0);
    }
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (null_fd < 0 || log_fd < 0) ::_exit(127);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::dup2(ready_fd, 3);  // dup2 clears FD_CLOEXEC on the copy
    ::close_range(4, ~0U, 0);
    ::execv(argv[0], argv.data());
    const char msg[] = "kuphost-apiserver: cannot execute the server\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  pid_pipe.close_write();
  int server = 0;
  if (::read(pid_pipe.read_end(), &server, sizeof server) != static_cast<ssize_t>(sizeof server))
    throw std::runtime_error("cannot start the API server process");
  return server;
}

// The port the server reports on its ready pipe once it listens, or 0 when
// it exits (EOF) or takes longer than kStartTimeout.
int wait_until_ready(int ready_fd) {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::string got;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{ready_fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
    char buf[32];
    const ssize_t n = ::read(ready_fd, buf, sizeof buf);
    if (n <= 0) return 0;
    got.append(buf, static_cast<size_t>(n));
    if (got.find('\n') != std::string::npos) return std::atoi(got.c_str());
  }
  return 0;
}

bool start(const fs::path &dir, const fs::path &exe, int requested, std::string *message, std::string *error) {
  const int recorded = read_int(port_file(dir));
  int port = requested;
  if (port == 0 && recorded > 0 && detail::port_is_free(recorded)) port = recorded;
  Pipe ready, pid_pipe;
  const std::vector<std::string> args{exe.string(), "--sandbox", dir.string(), "--port", std::to_string(port),
                                      "--ready-fd", "3"};
  const int pid = spawn_detached(args, log_file(dir), ready.write_end(), pid_pipe);
  ready.close_write();
  const int actual = wait_until_ready(ready.read_end());
  if (actual <= 0 || !detail::accepts_connections(actual)) {
    if (pid > 0) ::kill(pid, SIGKILL);
    *error = "the sandbox API server did not start within " + std::to_string(kStartTimeout.count()) + " s; " +
             log_file(dir).string() + " ends with: " + last_log_line(dir);
    return false;
  }
  detail::write_file_atomic(pid_file(dir), std::to_string(pid) + "\n", 0644);
  if (actual != recorded) {
    detail::write_file_atomic(port_file(dir), std::to_string(actual) + "\n", 0644);
    point_kubeconfigs_at(dir, actual);
  }
  *message = "[sandbox] API server started on https://127.0.0.1:" + std::to_string(actual) + " (pid " +
             std::to_string(pid) + "); admin kubeconfig: " + (dir / "kubeconfig").string();
  return true;
}

}  // namespace

ApiServerStatus apiserver_status(const fs::path &sandbox_dir) {
  const fs::path dir = fs::absolute(sandbox_dir).lexically_normal();
  ApiServerStatus s;
  s.pid = read_int(pid_file(dir));
  s.port = read_int(port_file(dir));
  s.running = is_our_server(s.pid, dir) && detail::accepts_connections(s.port);
  return s;
}

bool apiserver_up(const fs::path &sandbox_dir, const fs::path &server_exe, int port, std::string *message,
                  std::string *error) {
  std::string ignored_message, ignored_error;
  if (!message) message = &ignored_message;
  if (!error) error = &ignored_error;
  try {
    const fs::path dir = fs::absolute(sandbox_dir).lexically_normal();
    if (!fs::exists(detail::cluster_file_path(dir))) {
      *error = dir.string() + " is not a sandbox (no cluster/cluster.yaml); make one with `kuphost sandbox create`";
      return false;
    }
    if (port < 0 || port > 65535) {
      *error = "invalid --port " + std::to_string(port) + ": use 1-65535, or 0 to pick one";
      return false;
    }
    // Two kuphost runs starting the same sandbox's server: one starts it,
    // the other finds it running.
    detail::FileLock lock(cluster_dir(dir) / "apiserver.lock");
    const ApiServerStatus s = apiserver_status(dir);
    if (s.running && (port == 0 || port == s.port)) {
      *message = "[sandbox] API server already running on https://127.0.0.1:" + std::to_string(s.port) + " (pid " +
                 std::to_string(s.pid) + ")";
    } else {
      if (s.running) {
        *error = "the sandbox API server already runs on port " + std::to_string(s.port) +
                 "; run `kuphost sandbox down " + dir.string() + "` first to move it to port " + std::to_string(port);
        return false;
      }
      if (!fs::exists(server_exe)) {
        *error = "the sandbox API server is missing at " + server_exe.string() + "; reinstall kuphost";
        return false;
      }
      if (port != 0 && !detail::port_is_free(port)) {
        *error = "port " + std::to_string(port) + " on 127.0.0.1 is in use; pick another or pass --port 0";
        return false;
      }
      if (!start(dir, server_exe, port, message, error)) return false;
    }
    if (const std::string warning = record_kubectl(dir); !warning.empty())
      *message += "\n[sandbox] warning: " + warning;
    return true;
  } catch (const std::exception &e) {
    *error = std::string("cannot start the sandbox API server: ") + e.what();
    return false;
  }
}

bool apiserver_down(const fs::path &sandbox_dir, std::string *message, std::string *error) {
  std::string ignored_message, ignored_error;
  if (!message) message = &ignored_message;
  if (!error) error = &ignored_error;
  try {
    const fs::path dir = fs::absolute(sandbox_dir).lexically_normal();
    if (!fs::exists(detail::cluster_file_path(dir))) {
      *error = dir.string() + " is not a sandbox (no cluster/cluster.yaml)";
      return false;
    }
    detail::FileLock lock(cluster_dir(dir) / "apiserver.lock");
    const int pid = read_int(pid_file(dir));
    if (!is_our_server(pid, dir)) {
      std::error_code ec;
      fs::remove(pid_file(dir), ec);
      *message = "[sandbox] API server is not running";
      return true;
    }
    ::kill(pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
    while (is_our_server(pid, dir) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(20ms);
    if (is_our_server(pid, dir)) ::kill(pid, SIGKILL);
    fs::remove(pid_file(dir));
    *message = "[sandbox] API server stopped (pid " + std::to_string(pid) + ")";
    return true;
  } catch (const std::exception &e) {
    *error = std::string("cannot stop the sandbox API server: ") + e.what();
    return false;
  }
}

}  // namespace kuphost::sandbox
