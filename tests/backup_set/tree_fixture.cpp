#include "tree_fixture.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace backup_set_test {

namespace fs = std::filesystem;

void write_file(const fs::path &path, const std::string &content, mode_t mode) {
  fs::create_directories(path.parent_path());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
  }
  if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("cannot chmod " + path.string());
}

std::string read_file(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

mode_t mode_of(const fs::path &path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path.string());
  return st.st_mode & 07777;
}

fs::path make_sample_tree(const fs::path &root) {
  std::string db;
  for (int i = 0; db.size() < (3u << 20); ++i) db += "block " + std::to_string(i * 7919 % 104729) + "\n";
  write_file(root / "member/snap/db", db, 0600);
  write_file(root / "member/snap/0000000000000002-0000000000000001.snap", "snapshot", 0640);
  write_file(root / "member/wal/0000000000000000-0000000000000000.wal", std::string(70000, 'w'), 0600);
  write_file(root / "member/wal/0.tmp", "", 0600);  // a 0-byte file
  write_file(root / "empty", "", 0400);
  write_file(root / "tool", "#!/bin/sh\n", 0751);
  write_file(root / "with space/a file", "spaced", 0604);
  fs::create_directories(root / "deep/er/est");
  fs::create_directories(root / "empty dir");
  fs::create_symlink("snap/db", root / "member/db-link");
  write_file(root / "locked/inside", "read only dir", 0644);
  ::chmod((root / "locked").c_str(), 0500);
  ::chmod((root / "deep").c_str(), 0750);
  ::chmod((root / "deep/er").c_str(), 0711);
  ::chmod(root.c_str(), 0700);
  return root;
}

TreeSnapshot snapshot(const fs::path &root) {
  TreeSnapshot tree;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(mode_of(root)));
  tree["."] = std::string("d ") + mode;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const auto relative = fs::relative(it->path(), root).string();
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(mode_of(it->path())));
    if (it->is_symlink()) {
      tree[relative] = "l " + fs::read_symlink(it->path()).string();
    } else if (it->is_directory()) {
      tree[relative] = std::string("d ") + mode;
    } else {
      tree[relative] = std::string("f ") + mode + " " + read_file(it->path());
    }
  }
  return tree;
}

RunResult run_in(const fs::path &directory, const std::vector<std::string> &argv) {
  std::vector<std::string> in_directory{"env", "-C", directory.string()};
  in_directory.insert(in_directory.end(), argv.begin(), argv.end());
  const kuphost::test::ProcessResult r = kuphost::test::run_process(in_directory);
  return {r.exit_code, r.out + r.err};
}

}  // namespace backup_set_test
