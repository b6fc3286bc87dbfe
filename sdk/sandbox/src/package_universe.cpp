#include "package_universe.h"

#include <stdexcept>

#include "fs_util.h"
#include "yaml_io.h"

namespace kuphost::sandbox::detail {
namespace {

// The newest patch each minor offers, relative to the cluster's minor.
int last_patch_offered(const KubeVersion &cluster, int minor_offset) {
  if (minor_offset == 0) return cluster.patch + 2;
  return minor_offset == 1 ? 4 : 2;
}

std::string plain(int major, int minor, int patch) {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

// The kubelet packages of v1.30+ require kubernetes-cni >= 1.4.0
// (test-recipes.md §1.0); older minors require the CNI they ship.
std::string kubelet_cni_floor(const KubeVersion &minor) {
  const std::string shipped = kubernetes_cni_version_for(minor);
  const auto shipped_version = KubeVersion::parse(shipped);
  const auto floor = *KubeVersion::parse("1.4.0");
  return shipped_version && *shipped_version < floor ? shipped : floor.plain();
}

UniverseRepository repository_for(const KubeVersion &minor, int last_patch) {
  UniverseRepository repo;
  for (const char *name : {"kubeadm", "kubelet", "kubectl"}) {
    UniversePackage &p = repo.packages[name];
    for (int patch = 0; patch <= last_patch; ++patch) p.versions.push_back(plain(minor.major, minor.minor, patch));
  }
  repo.packages["kubeadm"].depends["cri-tools"] = plain(minor.major, minor.minor, 0);
  repo.packages["kubelet"].depends["kubernetes-cni"] = kubelet_cni_floor(minor);
  repo.packages["cri-tools"].versions = {cri_tools_version_for(minor)};
  repo.packages["kubernetes-cni"].versions = {kubernetes_cni_version_for(minor)};
  return repo;
}

}  // namespace

const UniverseRepository *PackageUniverse::find(std::string_view minor) const {
  const auto it = repositories.find(std::string(minor));
  return it == repositories.end() ? nullptr : &it->second;
}

PackageUniverse make_package_universe(const KubeVersion &cluster_version) {
  PackageUniverse universe;
  for (int offset = 0; offset <= 2; ++offset) {
    const KubeVersion minor{cluster_version.major, cluster_version.minor + offset, 0, ""};
    universe.repositories[minor.minor_str()] = repository_for(minor, last_patch_offered(cluster_version, offset));
  }
  return universe;
}

std::filesystem::path package_universe_path(const std::filesystem::path &sandbox_dir) {
  return sandbox_dir / "cluster" / "packages.yaml";
}

std::string render_package_universe(const PackageUniverse &universe) {
  YAML::Node root;
  root["debRevision"] = universe.deb_revision;
  root["rpmRelease"] = universe.rpm_release;
  YAML::Node repositories(YAML::NodeType::Map);
  for (const auto &[minor, repo] : universe.repositories) {
    YAML::Node packages(YAML::NodeType::Map);
    for (const auto &[name, package] : repo.packages) {
      YAML::Node entry;
      YAML::Node versions(YAML::NodeType::Sequence);
      for (const auto &v : package.versions) versions.push_back(v);
      versions.SetStyle(YAML::EmitterStyle::Flow);  // one line per package keeps the file readable
      entry["versions"] = versions;
      if (!package.depends.empty()) {
        YAML::Node depends(YAML::NodeType::Map);
        for (const auto &[dep, minimum] : package.depends) depends[dep] = minimum;
        depends.SetStyle(YAML::EmitterStyle::Flow);
        entry["depends"] = depends;
      }
      packages[name] = entry;
    }
    repositories[minor] = packages;
  }
  root["repositories"] = repositories;
  return emit_yaml(root);
}

PackageUniverse parse_package_universe(const std::string &text) {
  const std::string what = "packages.yaml";
  const YAML::Node root = load_yaml(text, what);
  PackageUniverse universe;
  try {
    universe.deb_revision = root["debRevision"].as<std::string>(universe.deb_revision);
    universe.rpm_release = root["rpmRelease"].as<std::string>(universe.rpm_release);
    const YAML::Node repositories = root["repositories"];
    if (!repositories || !repositories.IsMap()) throw std::runtime_error(what + ": missing map 'repositories'");
    for (const auto &repo : repositories) {
      UniverseRepository &out = universe.repositories[repo.first.as<std::string>()];
      if (!repo.second.IsMap()) continue;  // an emptied repository holds no packages
      for (const auto &package : repo.second) {
        UniversePackage &p = out.packages[package.first.as<std::string>()];
        if (const auto versions = package.second["versions"]; versions && versions.IsSequence())
          for (const auto &v : versions) p.versions.push_back(v.as<std::string>());
        if (const auto depends = package.second["depends"]; depends && depends.IsMap())
          for (const auto &d : depends) p.depends[d.first.as<std::string>()] = d.second.as<std::string>();
      }
    }
  } catch (const YAML::Exception &e) {
    throw std::runtime_error(what + ": " + e.what());
  }
  return universe;
}

PackageUniverse read_package_universe(const std::filesystem::path &sandbox_dir) {
  const auto text = read_file_if_exists(package_universe_path(sandbox_dir));
  if (!text)
    throw std::runtime_error(package_universe_path(sandbox_dir).string() +
                             " is missing: the sandbox predates the package simulation; create it again");
  return parse_package_universe(*text);
}

std::string pkgs_k8s_io_url(std::string_view minor, std::string_view format) {
  return "https://pkgs.k8s.io/core:/stable:/" + std::string(minor) + "/" + std::string(format) + "/";
}

}  // namespace kuphost::sandbox::detail
