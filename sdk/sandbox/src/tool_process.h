// Running this machine's tools (dpkg-deb, gpg, apt-get, rpmbuild, dnf) for
// sandboxes with real packages: argv only, no shell, output captured.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kuphost::sandbox::detail {

struct ToolResult {
  int exit_code = -1;  // -1: killed by a signal or not started
  std::string out, err;
};

// Runs argv[0] (looked up in the standard system PATH, not the caller's),
// with `env` ("NAME=value") added to this process's environment and PATH
// reset to the system directories, stdin from /dev/null.
// `cwd`: the working directory, empty for this process's.
ToolResult run_tool(const std::vector<std::string> &argv, const std::vector<std::string> &env = {},
                    const std::filesystem::path &cwd = {});

// run_tool, throwing std::runtime_error with the command line and its output
// when it does not exit 0.
ToolResult must_run_tool(const std::vector<std::string> &argv, const std::vector<std::string> &env = {},
                         const std::filesystem::path &cwd = {});

// This process's environment with `overrides` ("NAME=value") applied;
// `overrides` wins, one entry per name.
std::vector<std::string> environment_with(const std::vector<std::string> &overrides);

// The absolute path of `program` in the system PATH, or empty.
std::filesystem::path find_system_tool(const std::string &program);

// The directories run_tool searches: /usr/local/sbin ... /bin.
const char *system_path();

}  // namespace kuphost::sandbox::detail
