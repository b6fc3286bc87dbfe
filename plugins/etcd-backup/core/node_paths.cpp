#include "node_paths.h"

#include <fstream>
#include <sstream>

namespace kuphost_plugins::etcd_backup {

std::string join_node_path(const std::string &dir, std::string_view name) {
  return dir.back() == '/' ? dir + std::string(name) : dir + "/" + std::string(name);
}

std::optional<std::string> read_whole_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kuphost_plugins::etcd_backup
