// Helpers for the backup-set tests: a temporary directory, a sample tree with
// the shapes a data directory can have, and a snapshot of a tree to compare.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "test_support.h"

namespace backup_set_test {

// The suites' temporary directory (it also makes restored 0500 directories
// writable again before removing them).
using TempDir = kuphost::test::TempDir;

void write_file(const std::filesystem::path &path, const std::string &content, mode_t mode = 0644);
std::string read_file(const std::filesystem::path &path);
mode_t mode_of(const std::filesystem::path &path);

// Nested directories, an empty file, a 3 MiB file (several copy blocks with
// a small buffer), a symlink, a name with a space, and odd modes (0400, 0751,
// a 0500 directory). Returns `root`.
std::filesystem::path make_sample_tree(const std::filesystem::path &root);

// relative path -> "d 0750" / "f 0640 <content>" / "l <target>".
using TreeSnapshot = std::map<std::string, std::string>;
TreeSnapshot snapshot(const std::filesystem::path &root);

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
// Runs argv (no shell) in `directory`.
RunResult run_in(const std::filesystem::path &directory, const std::vector<std::string> &argv);

}  // namespace backup_set_test
