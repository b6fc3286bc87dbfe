#include "yum_repo_section.h"

#include "support/repository_edit.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::yum {
namespace {

// One [section] as dnf reads it: the values of its keys, with indented
// continuation lines appended (a baseurl may list one URL per line).
struct Section {
  std::string id, baseurl, exclude;
};

std::vector<Section> sections_of(std::string_view repo_text) {
  std::vector<Section> sections;
  std::string *value = nullptr;  // the key the next continuation line extends
  for (const auto &raw : lines_of(repo_text)) {
    const std::string_view line = trim(raw);
    if (line.empty() || repository_detail::is_comment(line)) {
      value = nullptr;
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      sections.push_back({std::string(trim(line.substr(1, line.size() - 2))), {}, {}});
      value = nullptr;
      continue;
    }
    if (sections.empty()) continue;
    if (is_space(raw.front()) && value) {
      *value += " " + std::string(line);
      continue;
    }
    const auto eq = line.find('=');
    value = nullptr;
    if (eq == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, eq));
    Section &section = sections.back();
    // dnf reads excludepkgs= as exclude=; a later line replaces an earlier one.
    if (key == "baseurl") value = &section.baseurl;
    else if (key == "exclude" || key == "excludepkgs") value = &section.exclude;
    else continue;
    *value = std::string(trim(line.substr(eq + 1)));
  }
  return sections;
}

}  // namespace

std::optional<KubernetesRepoSection> find_kubernetes_section(std::string_view repo_text) {
  for (const auto &section : sections_of(repo_text))
    if (!repository_detail::core_minor_spans(section.baseurl).empty())
      return KubernetesRepoSection{section.id, !trim(section.exclude).empty()};
  return std::nullopt;
}

std::vector<std::string> exclusion_bypass(bool dnf5, const std::optional<KubernetesRepoSection> &section) {
  if (!section || !section->excludes) return {};
  return {(dnf5 ? "--setopt=disable_excludes=" : "--disableexcludes=") + section->id};
}

}  // namespace kuphost_plugins::yum
