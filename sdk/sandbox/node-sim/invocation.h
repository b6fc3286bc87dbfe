// One run of a simulated command: which command, its arguments, the node it
// runs on and where its output goes.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace kuphost::sandbox::sim {

namespace fs = std::filesystem;

struct Invocation {
  std::string command;             // basename of argv[0]: kubeadm, systemctl, apt-get, dnf, ...
  std::vector<std::string> args;   // argv[1..]
  fs::path root;                   // the node's root filesystem
  fs::path sandbox_dir;            // <root>/../../..
  std::string node_name;           // nodes/<name>/root
  std::ostream &out;
  std::ostream &err;
  std::istream &in;

  // A path as seen on the node ("/etc/kubernetes/admin.conf") on the host.
  fs::path host_path(const fs::path &node_path) const;
  // "kubeadm upgrade apply v1.31.2": what the command log and fault
  // matching see.
  std::string command_line() const;
};

// The node root a command symlink lives in: <root>/usr/bin/<command>.
// argv[0] is made absolute against the cwd (or looked up in PATH when it has
// no slash) without resolving the symlink itself. nullopt + *error when the
// directory is not a sandbox node.
std::optional<fs::path> node_root_of(const std::string &argv0, std::string *error);

}  // namespace kuphost::sandbox::sim
