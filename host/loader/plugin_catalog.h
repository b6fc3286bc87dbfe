// Finds plugins in the search path and resolves names to loaded plugins.
//
// Search order: --plugin-dir (repeatable, in order), $KUPHOST_PLUGIN_PATH
// (colon-separated), then the install directory. A plugin id found in an
// earlier directory shadows the same id later, like $PATH; two files with
// the same id in one directory are an error.
#pragma once

#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loader/plugin.h"

namespace kuphost {

struct PluginCandidate {
  std::string id;  // from the embedded manifest, else the file name
  std::string version;  // from the manifest; may be empty
  std::filesystem::path path;
  size_t dir_index = 0;
};

class PluginCatalog {
 public:
  PluginCatalog(std::vector<std::filesystem::path> search_dirs, bool allow_insecure);

  // Lists *.so files and reads manifests; runs no plugin code.
  void scan();
  const std::vector<std::filesystem::path> &search_dirs() const { return dirs_; }
  // One candidate per id, in search order.
  const std::vector<PluginCandidate> &candidates() const { return candidates_; }

  // Resolves an id or alias ("etcd" -> etcd-backup) and loads it once.
  // Throws Failure(kInvalidInput) for an unknown name, naming what exists.
  LoadedPlugin &resolve(const std::string &name);
  // Loads every candidate (the default selection).
  std::vector<LoadedPlugin *> load_all();
  // Loads a file given by path (plugins inspect, tests).
  LoadedPlugin &load_file(const std::filesystem::path &file);
  std::vector<LoadedPlugin *> loaded();

 private:
  LoadedPlugin &load_candidate(const PluginCandidate &c);
  std::vector<std::filesystem::path> dirs_;
  bool allow_insecure_;
  std::vector<PluginCandidate> candidates_;
  std::deque<LoadedPlugin> loaded_;  // stable addresses
  std::map<std::string, LoadedPlugin *> by_path_;
};

// The default search path for this process (see the header comment).
std::vector<std::filesystem::path> default_plugin_dirs(
    const std::vector<std::filesystem::path> &cli_dirs);

}  // namespace kuphost
