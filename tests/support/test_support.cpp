#include "test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <openssl/evp.h>

extern char **environ;

namespace kuphost::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/kuphost-test-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Tests may leave read-only directories behind (permission tests).
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_directory(ec) && !it->is_symlink(ec)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  // A sandbox's background processes (its API server and etcd members,
  // which exit once sandbox.yaml is gone) may still write for a moment.
  for (int attempt = 0; attempt < 5 && fs::exists(path_); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    fs::remove_all(path_, ec);
  }
}

std::string sha256_hex(const std::string &data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char *hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

TreeSnapshot snapshot_tree(const fs::path &root) {
  TreeSnapshot snap;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string rel = fs::relative(it->path(), root).string();
    struct stat sb {};
    ::lstat(it->path().c_str(), &sb);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", sb.st_mode & 07777);
    if (it->is_symlink()) snap[rel] = "link " + fs::read_symlink(it->path()).string();
    else if (it->is_directory()) snap[rel] = std::string("dir ") + mode;
    else snap[rel] = std::string(mode) + " " + std::to_string(sb.st_size) + " " + sha256_hex(read_file(it->path()));
  }
  return snap;
}

std::string diff_trees(const TreeSnapshot &before, const TreeSnapshot &after) {
  std::ostringstream out;
  for (const auto &[k, v] : before) {
    auto it = after.find(k);
    if (it == after.end()) out << "removed: " << k << "\n";
    else if (it->second != v) out << "changed: " << k << "\n";
  }
  for (const auto &[k, v] : after)
    if (!before.count(k)) out << "added: " << k << "\n";
  return out.str();
}

ProcessResult run_process(const std::vector<std::string> &argv, const std::vector<std::string> &env,
                          const std::string &stdin_data) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC) || ::pipe2(in_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  std::vector<std::string> env_store;
  for (char **e = environ; *e; ++e) env_store.emplace_back(*e);
  for (const auto &kv : env) {
    const auto name = kv.substr(0, kv.find('=') + 1);
    std::erase_if(env_store, [&](const std::string &e) { return e.rfind(name, 0) == 0; });
    env_store.push_back(kv);
  }
  std::vector<char *> envp, args;
  for (auto &e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_store = argv;
  for (auto &a : argv_store) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) throw std::runtime_error("cannot spawn " + argv[0] + ": " + std::strerror(rc));
  if (!stdin_data.empty()) (void)!::write(in_pipe[1], stdin_data.data(), stdin_data.size());
  ::close(in_pipe[1]);
  ProcessResult r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string *sinks[2] = {&r.out, &r.err};
  int open_count = 2;
  char buf[8192];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) sinks[i]->append(buf, static_cast<size_t>(n));
      else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.term_signal = WTERMSIG(status);
  return r;
}

void write_file(const fs::path &path, const std::string &text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<std::string> read_lines(const fs::path &path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

fs::path kuphost_binary() { return KUPHOST_TEST_BINARY; }
fs::path plugin_dir() { return KUPHOST_TEST_PLUGIN_DIR; }
fs::path fixture_dir() { return KUPHOST_TEST_FIXTURE_DIR; }
fs::path node_sim() { return KUPHOST_TEST_NODE_SIM; }
fs::path golden_dir() { return KUPHOST_TEST_GOLDEN_DIR; }

std::map<std::string, std::string> file_digests(const std::vector<std::string> &files) {
  std::map<std::string, std::string> out;
  for (const auto &file : files)
    out[file] = std::filesystem::exists(file) ? sha256_hex(read_file(file)) : std::string("absent");
  return out;
}

std::vector<std::string> paths_modified_since(const std::vector<std::string> &dirs,
                                              std::filesystem::file_time_type since) {
  namespace fs = std::filesystem;
  std::vector<std::string> newer;
  for (const auto &dir : dirs) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) continue;
    auto check = [&](const fs::path &p) {
      std::error_code e;
      if (fs::is_symlink(fs::symlink_status(p, e))) return;
      const auto t = fs::last_write_time(p, e);
      if (!e && t > since) newer.push_back(p.string());
    };
    check(dir);
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      check(it->path());
  }
  return newer;
}

}  // namespace kuphost::test
