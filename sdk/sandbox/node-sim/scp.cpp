// scp on the admin machine of a Windows node: copies one local file (this
// machine's file system) to [USER@]HOST:C:/path (or /C:/path) on the node.
// The destination directory must exist, as with OpenSSH's SFTP-mode scp.
#include <ostream>
#include <system_error>

#include "commands.h"
#include "ssh_transport.h"
#include "windows_paths.h"

namespace kuphost::sandbox::sim {
namespace {

constexpr int kFailed = 1;

// "host:path" with the colon before any slash, as scp decides what is remote.
bool is_remote(const std::string &operand, std::string *destination, std::string *path) {
  const auto colon = operand.find(':');
  if (colon == std::string::npos || colon == 0 || operand.find('/') < colon) return false;
  *destination = operand.substr(0, colon);
  *path = operand.substr(colon + 1);
  return true;
}

}  // namespace

int run_scp(Invocation &inv) {
  const auto line = parse_ssh_options(inv, true);
  if (!line) return kSshFailed;
  std::string destination, remote_path, ignored_destination, ignored_path;
  if (line->operands.size() != 2 || is_remote(line->operands[0], &ignored_destination, &ignored_path) ||
      !is_remote(line->operands[1], &destination, &remote_path)) {
    inv.err << "scp (kuphost sandbox): only `scp [options] LOCAL_FILE [USER@]HOST:C:/path` is simulated\n";
    return kFailed;
  }
  if (!resolves_to_this_node(inv, host_of(destination))) {
    inv.err << "scp: Connection closed\n";
    return kSshFailed;
  }
  const fs::path source = line->operands[0];
  if (!fs::is_regular_file(source)) {
    inv.err << "scp: stat local \"" << source.string() << "\": No such file or directory\n";
    return kFailed;
  }
  std::string why;
  auto target = windows_host_path(inv.root, remote_path, &why);
  if (!target) {
    inv.err << "scp: " << why << "\n";
    return kFailed;
  }
  if (fs::is_directory(*target)) *target /= source.filename();
  if (!fs::is_directory(target->parent_path())) {
    inv.err << "scp: dest open \"" << remote_path << "\": No such file or directory\n";
    return kFailed;
  }
  std::error_code ec;
  if (!windows_file_in_use(inv, *target)) fs::copy_file(source, *target, fs::copy_options::overwrite_existing, ec);
  if (ec || windows_file_in_use(inv, *target)) {
    inv.err << "scp: dest open \"" << remote_path << "\": Failure\n";
    return kFailed;
  }
  return 0;
}

}  // namespace kuphost::sandbox::sim
