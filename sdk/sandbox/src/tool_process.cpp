#include "tool_process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

extern char **environ;

namespace kuphost::sandbox::detail {
namespace {

// Closes both ends on scope exit.
struct PipePair {
  int fds[2] = {-1, -1};
  PipePair() {
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  ~PipePair() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  void close_write() {
    ::close(fds[1]);
    fds[1] = -1;
  }
};

std::string command_line(const std::vector<std::string> &argv) {
  std::string s;
  for (const auto &a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

std::vector<std::string> environment_with(const std::vector<std::string> &overrides) {
  std::map<std::string, std::string> vars;
  for (char **e = environ; e && *e; ++e) {
    const std::string entry(*e);
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  for (const auto &entry : overrides) vars[entry.substr(0, entry.find('='))] = entry;
  std::vector<std::string> out;
  for (auto &[name, entry] : vars) out.push_back(std::move(entry));
  return out;
}

const char *system_path() { return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"; }

std::filesystem::path find_system_tool(const std::string &program) {
  std::string dirs = system_path();
  size_t start = 0;
  while (start <= dirs.size()) {
    const size_t colon = dirs.find(':', start);
    const std::filesystem::path candidate =
        std::filesystem::path(dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start)) /
        program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {};
}

ToolResult run_tool(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                    const std::filesystem::path &cwd) {
  ToolResult result;
  const std::filesystem::path program = argv.at(0).find('/') == std::string::npos ? find_system_tool(argv[0])
                                                                                   : std::filesystem::path(argv[0]);
  if (program.empty()) {
    result.exit_code = 127;
    result.err = argv[0] + ": not found in " + system_path() + "\n";
    return result;
  }
  PipePair out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<char *> args;
  for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> overrides{std::string("PATH=") + system_path()};
  overrides.insert(overrides.end(), env.begin(), env.end());
  const std::vector<std::string> environment = environment_with(overrides);
  std::vector<char *> envp;
  for (const auto &e : environment) envp.push_back(const_cast<char *>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    result.exit_code = 127;
    result.err = program.string() + ": " + std::strerror(spawned) + "\n";
    return result;
  }
  out.close_write();
  err.close_write();
  pollfd fds[2] = {{out.fds[0], POLLIN, 0}, {err.fds[0], POLLIN, 0}};
  std::string *sinks[2] = {&result.out, &result.err};
  int open = 2;
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

ToolResult must_run_tool(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                         const std::filesystem::path &cwd) {
  ToolResult r = run_tool(argv, env, cwd);
  if (r.exit_code != 0)
    throw std::runtime_error("`" + command_line(argv) + "` failed (exit " + std::to_string(r.exit_code) + "): " +
                             (r.err.empty() ? r.out : r.err));
  return r;
}

}  // namespace kuphost::sandbox::detail
