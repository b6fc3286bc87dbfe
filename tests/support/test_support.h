// Shared helpers for the test suites: temporary directories, file-tree
// snapshots (to prove "nothing changed"), child processes, and the paths of
// the binaries under test.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kuphost::test {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::filesystem::path &path() const { return path_; }
  std::filesystem::path operator/(const std::string &rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

// path relative to the root -> "mode size sha256" (or "dir mode" / "link target").
using TreeSnapshot = std::map<std::string, std::string>;
TreeSnapshot snapshot_tree(const std::filesystem::path &root);
// Human-readable differences, empty when equal.
std::string diff_trees(const TreeSnapshot &before, const TreeSnapshot &after);
// The paths in and under `dirs` (missing ones skipped, symlinks not
// followed) modified after `since`: proof that a test left this machine's
// own directories (/etc/apt, /var/lib/dpkg, ...) alone.
std::vector<std::string> paths_modified_since(const std::vector<std::string> &dirs,
                                              std::filesystem::file_time_type since);
// path -> SHA-256 of its content, or "absent": compared before and after a
// test to prove this machine's files (the dpkg status, the rpm database)
// stayed as they were.
std::map<std::string, std::string> file_digests(const std::vector<std::string> &files);

struct ProcessResult {
  int exit_code = -1;
  int term_signal = 0;
  std::string out, err;
};
// Runs argv (no shell) with extra "NAME=value" environment, waits for it.
ProcessResult run_process(const std::vector<std::string> &argv, const std::vector<std::string> &env = {},
                          const std::string &stdin_data = {});

void write_file(const std::filesystem::path &path, const std::string &text);
std::string read_file(const std::filesystem::path &path);
std::vector<std::string> read_lines(const std::filesystem::path &path);
std::string sha256_hex(const std::string &data);

// Paths of the build's artefacts (compile definitions from CMake).
std::filesystem::path kuphost_binary();
std::filesystem::path plugin_dir();   // the seven plugins
std::filesystem::path fixture_dir();  // the test fixture plugins
std::filesystem::path node_sim();
std::filesystem::path golden_dir();

}  // namespace kuphost::test
