#include "package_catalog.h"

#include <fnmatch.h>

#include <algorithm>

#include "package_version.h"

namespace kuphost::sandbox::sim {

PackageFormat deb_format(const detail::PackageUniverse &universe) { return {universe.deb_revision, "amd64"}; }
PackageFormat rpm_format(const detail::PackageUniverse &universe) { return {universe.rpm_release, "x86_64"}; }

void add_repository_packages(const detail::UniverseRepository &repo, const std::string &origin,
                             std::vector<AvailablePackage> *out) {
  for (const auto &[name, package] : repo.packages)
    for (const auto &version : package.versions) out->push_back({name, version, origin, package.depends});
}

std::vector<const AvailablePackage *> versions_of(const std::vector<AvailablePackage> &available,
                                                  const std::string &name) {
  std::vector<const AvailablePackage *> out;
  for (const auto &p : available)
    if (p.name == name) out.push_back(&p);
  std::stable_sort(out.begin(), out.end(), [](const AvailablePackage *a, const AvailablePackage *b) {
    return detail::compare_package_versions(a->version, b->version) > 0;
  });
  return out;
}

const AvailablePackage *newest_of(const std::vector<AvailablePackage> &available, const std::string &name) {
  const auto versions = versions_of(available, name);
  return versions.empty() ? nullptr : versions.front();
}

const AvailablePackage *find_version(const std::vector<AvailablePackage> &available, const std::string &name,
                                     const std::string &version) {
  for (const auto &p : available)
    if (p.name == name && p.version == version) return &p;
  return nullptr;
}

bool glob_match(const std::string &pattern, const std::string &text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

PackageSize package_size(const std::string &name) {
  if (name == "kubeadm") return {10'400'000, 51'300'000};
  if (name == "kubelet") return {15'200'000, 76'100'000};
  if (name == "kubectl") return {10'800'000, 54'000'000};
  if (name == "cri-tools") return {20'100'000, 59'300'000};
  if (name == "kubernetes-cni") return {35'900'000, 92'200'000};
  return {1'000'000, 4'000'000};
}

}  // namespace kuphost::sandbox::sim
