// The admin machine's OpenSSH client options as kuphost's Windows transport
// uses them (the subset in sdk/sandbox/README.md, "Windows nodes"), shared by the simulated ssh and scp:
// -o BatchMode=… -o ConnectTimeout=… (and StrictHostKeyChecking,
// UserKnownHostsFile), -i KEY, the port (-p for ssh, -P for scp), -l USER
// (ssh). Anything else is refused with ssh's usage, exit 255.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "invocation.h"

namespace kuphost::sandbox::sim {

inline constexpr int kSshFailed = 255;  // ssh itself failed: usage, resolution, connection

struct SshCommandLine {
  std::vector<std::string> operands;  // ssh: destination, remote words; scp: source, target
};

// nullopt after printing the error (exit kSshFailed).
std::optional<SshCommandLine> parse_ssh_options(Invocation &inv, bool scp);

// "[user@]host" -> host, lower-cased as ssh does.
std::string host_of(const std::string &destination);

// The node this sandbox root stands for, by name or address in sandbox.yaml;
// anything else does not resolve (the message is ssh's).
bool resolves_to_this_node(Invocation &inv, const std::string &host);

}  // namespace kuphost::sandbox::sim
