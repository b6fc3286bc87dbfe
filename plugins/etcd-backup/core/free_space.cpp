#include "free_space.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <system_error>

namespace kuphost_plugins::etcd_backup {
namespace {

std::filesystem::path existing_ancestor(std::filesystem::path dir) {
  std::error_code error;
  while (!std::filesystem::exists(dir, error) && dir.has_parent_path() && dir != dir.parent_path())
    dir = dir.parent_path();
  return dir;
}

}  // namespace

std::uint64_t tree_bytes(const std::filesystem::path &path) {
  std::error_code error;
  const auto status = std::filesystem::symlink_status(path, error);
  if (error) return 0;
  if (std::filesystem::is_regular_file(status)) return std::filesystem::file_size(path, error);
  if (!std::filesystem::is_directory(status)) return 0;
  std::uint64_t total = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(path, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error))
    if (it->is_regular_file(error) && !it->is_symlink(error)) total += it->file_size(error);
  return total;
}

std::string human_bytes(std::uint64_t bytes) {
  const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0) std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  else std::snprintf(text, sizeof text, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
  return text;
}

void check_free_space(const std::vector<SpaceNeed> &needs) {
  struct Filesystem {
    std::uint64_t needed = 0, available = 0;
    std::vector<const SpaceNeed *> needs;
  };
  std::map<dev_t, Filesystem> filesystems;
  for (const auto &need : needs) {
    const auto probe = existing_ancestor(need.host_dir);
    struct stat st{};
    struct statvfs vfs{};
    if (::stat(probe.c_str(), &st) != 0 || ::statvfs(probe.c_str(), &vfs) != 0)
      throw std::runtime_error("cannot check the free space for " + need.node_dir + ": " +
                               std::generic_category().message(errno));
    auto &fs = filesystems[st.st_dev];
    fs.needed += need.bytes;
    fs.available = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    fs.needs.push_back(&need);
  }
  for (const auto &[device, fs] : filesystems) {
    if (fs.needed <= fs.available) continue;
    std::string where, what, advice;
    for (const auto *need : fs.needs) {
      where += (where.empty() ? "" : " and ") + need->node_dir;
      what += (what.empty() ? "" : " + ") + need->what;
      if (!need->advice.empty()) advice += " or " + need->advice;
    }
    throw std::runtime_error("not enough free space for the backup: " + where + " needs " + human_bytes(fs.needed) +
                             " (" + what + ") but its filesystem has " + human_bytes(fs.available) +
                             " free; free space there" + advice);
  }
}

}  // namespace kuphost_plugins::etcd_backup
