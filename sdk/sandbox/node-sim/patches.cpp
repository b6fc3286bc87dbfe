#include "patches.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <ostream>
#include <stdexcept>
#include <vector>

#include "fs_util.h"
#include "yaml_io.h"

namespace kuphost::sandbox::sim {
namespace {

namespace fs = std::filesystem;

YAML::Node merge(const YAML::Node &base, const YAML::Node &patch, bool strategic);

// Strategic merge of two lists whose items are maps with a `name`.
YAML::Node merge_named_list(const YAML::Node &base, const YAML::Node &patch) {
  YAML::Node out(YAML::NodeType::Sequence);
  std::vector<bool> used(patch.size(), false);
  for (const auto &item : base) {
    YAML::Node merged = YAML::Clone(item);
    for (size_t i = 0; i < patch.size(); ++i)
      if (patch[i]["name"] && item["name"] && patch[i]["name"].as<std::string>() == item["name"].as<std::string>()) {
        merged = merge(item, patch[i], true);
        used[i] = true;
      }
    out.push_back(merged);
  }
  for (size_t i = 0; i < patch.size(); ++i)
    if (!used[i]) out.push_back(YAML::Clone(patch[i]));
  return out;
}

bool is_named_list(const YAML::Node &n) {
  return n.IsSequence() && n.size() > 0 && n[0].IsMap() && n[0]["name"];
}

YAML::Node merge(const YAML::Node &base, const YAML::Node &patch, bool strategic) {
  if (!patch.IsMap() || !base.IsMap()) {
    if (strategic && is_named_list(base) && is_named_list(patch)) return merge_named_list(base, patch);
    return YAML::Clone(patch);
  }
  YAML::Node out = YAML::Clone(base);
  for (const auto &kv : patch) {
    const std::string key = kv.first.as<std::string>();
    if (kv.second.IsNull()) {
      out.remove(key);
    } else if (out[key]) {
      out[key] = merge(out[key], kv.second, strategic);
    } else {
      out[key] = YAML::Clone(kv.second);
    }
  }
  return out;
}

struct PatchFile {
  fs::path path;
  std::string type;  // strategic | merge | json
};

std::vector<PatchFile> patches_for(const fs::path &dir, const std::string &display_dir, const std::string &target) {
  if (!fs::is_directory(dir))
    throw std::runtime_error("could not list patch files for path \"" + display_dir + "\": open " + display_dir +
                             ": no such file or directory");
  std::vector<PatchFile> out;
  for (const auto &entry : fs::directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".yaml" && ext != ".yml" && ext != ".json")) continue;
    const std::string stem = entry.path().stem().string();
    if (stem.rfind(target, 0) != 0) continue;
    const auto plus = stem.find('+');
    const std::string rest = stem.substr(target.size(), plus == std::string::npos ? std::string::npos
                                                                                  : plus - target.size());
    // "kube-apiserver" must not pick up "kube-apiserver-foo"'s suffix-less siblings of other targets.
    if (!rest.empty() && !std::all_of(rest.begin(), rest.end(), [](char c) { return std::isdigit(c) || c == '.'; }))
      continue;
    out.push_back({entry.path(), plus == std::string::npos ? "strategic" : stem.substr(plus + 1)});
  }
  std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.path < b.path; });
  return out;
}

}  // namespace

std::string apply_patches(const fs::path &dir, const std::string &display_dir, const std::string &target,
                          const std::string &manifest, std::ostream &out) {
  const auto files = patches_for(dir, display_dir, target);
  if (files.empty()) return manifest;
  YAML::Node doc = YAML::Load(manifest);
  for (const auto &f : files) {
    if (f.type != "strategic" && f.type != "merge")
      throw std::runtime_error("unsupported patch type \"" + f.type + "\" in " + f.path.filename().string() +
                               ": the kuphost sandbox applies strategic and merge patches");
    YAML::Node patch;
    try {
      patch = YAML::Load(detail::read_file(f.path));
    } catch (const YAML::Exception &e) {
      throw std::runtime_error("could not parse patch " + f.path.filename().string() + ": " + e.what());
    }
    doc = merge(doc, patch, f.type == "strategic");
    out << "[patches] Applied patch of type \""
        << (f.type == "strategic" ? "application/strategic-merge-patch+json" : "application/merge-patch+json")
        << "\" to target \"" << target << "\"\n";
  }
  return detail::emit_yaml(doc);
}

}  // namespace kuphost::sandbox::sim
