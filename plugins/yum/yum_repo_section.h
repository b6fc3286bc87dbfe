//===- yum/yum_repo_section.h - the pkgs.k8s.io section of a .repo file ---===//
//
// `--disableexcludes=` takes a repository id, the [section] name. The docs
// call it [kubernetes], but operators rename it; and the bypass is needed
// only while the section's exclude= line is active (the docs show it both
// active and commented out, packages.md §4).
//===----------------------------------------------------------------------===//
#ifndef KUPHOST_PLUGINS_YUM_YUM_REPO_SECTION_H
#define KUPHOST_PLUGINS_YUM_YUM_REPO_SECTION_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kuphost_plugins::yum {

struct KubernetesRepoSection {
  std::string id;         // the [section] name, e.g. "kubernetes"
  bool excludes = false;  // an active, non-empty exclude= or excludepkgs= line
};

// The first section of `repo_text` whose active baseurl= names a pkgs.k8s.io
// core URL; nullopt when there is none.
std::optional<KubernetesRepoSection> find_kubernetes_section(std::string_view repo_text);

// The option that lifts `section`'s excludes for one command:
// --disableexcludes=ID, or on DNF5 --setopt=disable_excludes=ID (the form
// the kubeadm docs give for it). Empty when there is nothing to lift.
std::vector<std::string> exclusion_bypass(bool dnf5, const std::optional<KubernetesRepoSection> &section);

}  // namespace kuphost_plugins::yum

#endif  // KUPHOST_PLUGINS_YUM_YUM_REPO_SECTION_H
