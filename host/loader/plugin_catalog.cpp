#include "loader/plugin_catalog.h"

#include <unistd.h>

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "loader/manifest.h"
#include "loader/plugin_loader.h"
#include "support/failure.h"
#include "support/strings.h"

namespace kuphost {
namespace fs = std::filesystem;

std::vector<fs::path> default_plugin_dirs(const std::vector<fs::path> &cli_dirs) {
  std::vector<fs::path> dirs = cli_dirs;
  if (const char *env = std::getenv("KUPHOST_PLUGIN_PATH"))
    for (auto &d : split(env, ':')) dirs.emplace_back(d);
  // The install directory, relative to the executable: bin/../lib/kuphost/plugins.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path().parent_path() / "lib" / "kuphost" / "plugins");
  return dirs;
}

PluginCatalog::PluginCatalog(std::vector<fs::path> search_dirs, bool allow_insecure)
    : dirs_(std::move(search_dirs)), allow_insecure_(allow_insecure) {}

void PluginCatalog::scan() {
  candidates_.clear();
  std::map<std::string, size_t> index;
  for (size_t d = 0; d < dirs_.size(); ++d) {
    std::error_code ec;
    if (!fs::is_directory(dirs_[d], ec)) {
      spdlog::debug("[plugins] search directory {} does not exist", dirs_[d].string());
      continue;
    }
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(dirs_[d], ec))
      if (e.path().extension() == ".so") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto &f : files) {
      PluginCandidate c;
      c.path = f;
      c.dir_index = d;
      if (auto m = read_manifest(f)) {
        c.id = m->id;
        c.version = m->version;
      } else {
        c.id = f.stem().string();
      }
      auto it = index.find(c.id);
      if (it == index.end()) {
        index[c.id] = candidates_.size();
        candidates_.push_back(c);
      } else if (candidates_[it->second].dir_index == d) {
        fail_plugin("duplicate plugin id '" + c.id + "': " + candidates_[it->second].path.string() +
                    " and " + f.string() + " both declare it; remove one");
      } else {
        spdlog::debug("[plugins] {} shadows {}", candidates_[it->second].path.string(), f.string());
      }
    }
  }
}

LoadedPlugin &PluginCatalog::load_file(const fs::path &file) {
  const std::string key = fs::absolute(file).lexically_normal().string();
  if (auto it = by_path_.find(key); it != by_path_.end()) return *it->second;
  LoadedPlugin plugin = load_plugin(file, allow_insecure_);
  for (auto *other : loaded()) {
    std::set<std::string> names{other->id};
    names.insert(other->aliases.begin(), other->aliases.end());
    for (const auto &n : std::vector<std::string>{plugin.id}) {
      if (names.count(n))
        fail_plugin("duplicate plugin id '" + n + "': " + other->path.string() + " and " +
                    plugin.path.string() + " both declare it; remove one");
    }
    for (const auto &a : plugin.aliases)
      if (names.count(a))
        fail_plugin("plugin alias '" + a + "' of " + plugin.path.string() + " clashes with " +
                    other->path.string());
  }
  loaded_.push_back(std::move(plugin));
  by_path_[key] = &loaded_.back();
  return loaded_.back();
}

LoadedPlugin &PluginCatalog::load_candidate(const PluginCandidate &c) {
  LoadedPlugin &p = load_file(c.path);
  if (p.id != c.id && c.version.size())
    fail_plugin("plugin " + c.path.string() + " declares id '" + p.id +
                "' but its manifest says '" + c.id + "'; rebuild it");
  return p;
}

LoadedPlugin &PluginCatalog::resolve(const std::string &name) {
  for (const auto &c : candidates_)
    if (c.id == name) return load_candidate(c);
  for (auto *p : loaded())
    if (p->id == name || p->has_alias(name)) return *p;
  // Aliases live in the descriptors: load candidates until one claims it.
  for (const auto &c : candidates_) {
    try {
      LoadedPlugin &p = load_candidate(c);
      if (p.has_alias(name)) return p;
    } catch (const Failure &e) {
      spdlog::debug("[plugins] while looking for '{}': {}", name, e.what());
    }
  }
  std::vector<std::string> known;
  for (const auto &c : candidates_) known.push_back(c.id);
  std::vector<std::string> dirs;
  for (const auto &d : dirs_) dirs.push_back(d.string());
  fail_input("unknown plugin '" + name + "': installed plugins are " +
             (known.empty() ? std::string("none") : join(known, ", ")) + " (searched " +
             join(dirs, ", ") + "; add --plugin-dir or set KUPHOST_PLUGIN_PATH)");
}

std::vector<LoadedPlugin *> PluginCatalog::load_all() {
  std::vector<LoadedPlugin *> out;
  for (const auto &c : candidates_) out.push_back(&load_candidate(c));
  return out;
}

std::vector<LoadedPlugin *> PluginCatalog::loaded() {
  std::vector<LoadedPlugin *> out;
  for (auto &p : loaded_) out.push_back(&p);
  return out;
}

}  // namespace kuphost
