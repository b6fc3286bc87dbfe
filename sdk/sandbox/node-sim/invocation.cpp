#include "invocation.h"

#include <unistd.h>

#include <cstdlib>

#include "node_state.h"

namespace kuphost::sandbox::sim {
namespace {

bool needs_quoting(const std::string &arg) {
  if (arg.empty()) return true;
  for (char c : arg)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\'' || c == '"' || c == '\\') return true;
  return false;
}

// Where a shell would have found `name` in $PATH.
std::optional<fs::path> find_in_path(const std::string &name) {
  const char *path = std::getenv("PATH");
  if (!path) return std::nullopt;
  std::string list = path;
  size_t start = 0;
  while (start <= list.size()) {
    const auto colon = list.find(':', start);
    const std::string dir = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return std::nullopt;
}

}  // namespace

fs::path Invocation::host_path(const fs::path &node_path) const {
  return node_path.is_absolute() ? root / node_path.relative_path() : root / node_path;
}

std::string Invocation::command_line() const {
  std::string line = command;
  for (const auto &arg : args) {
    line += ' ';
    if (!needs_quoting(arg)) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

std::optional<fs::path> node_root_of(const std::string &argv0, std::string *error) {
  fs::path self;
  if (argv0.find('/') != std::string::npos) {
    self = fs::absolute(argv0);
  } else if (auto found = find_in_path(argv0)) {
    self = fs::absolute(*found);
  } else {
    *error = "cannot find '" + argv0 + "' in PATH to locate its sandbox node";
    return std::nullopt;
  }
  // <root>/usr/bin/<command>: lexical only, the symlink itself points elsewhere.
  const fs::path root = self.lexically_normal().parent_path().parent_path().parent_path();
  if (!fs::exists(detail::node_state_path(root))) {
    *error = root.string() + " is not a sandbox node root (no var/lib/kuphost-sandbox/node.yaml); " +
             "run the simulator through a node's usr/bin symlinks";
    return std::nullopt;
  }
  return root;
}

}  // namespace kuphost::sandbox::sim
