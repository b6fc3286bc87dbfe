// What apt sees on a Debian-family node: dpkg's installed packages and holds
// (node.yaml) and the package lists `apt-get update` fetched for the
// repositories that are configured now. Like real apt, a repository switched
// in kubernetes.list shows nothing until `apt-get update` fetches it (the
// old minor's lists are then no longer used either).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "apt_options.h"
#include "invocation.h"
#include "node_state.h"
#include "package_catalog.h"
#include "package_sources.h"
#include "package_universe.h"

namespace kuphost::sandbox::sim {

// Where one apt command reads its sources and keeps its lists: the node's
// own (/etc/apt/sources.list and sources.list.d, with node.yaml aptLists
// standing in for /var/lib/apt/lists), or the files and directory given with
// -o Dir::Etc::SourceList=, Dir::Etc::SourceParts=, Dir::State::Lists=.
// Relative values are resolved as apt does: under /etc/apt/ and
// /var/lib/apt/; "/dev/null" as parts means none.
struct AptIndex {
  fs::path source_list;                  // host path
  std::optional<fs::path> source_parts;  // host path; nullopt: none
  std::optional<fs::path> lists_dir;     // host path; nullopt: the node's (node.yaml)
  std::string lists_dir_shown;           // the node path, as apt prints it ("/tmp/x/lists/")

  // Whether `apt-get update` fetched (and kept) the lists of the source at `uri`.
  bool fetched(const detail::NodeState &node, const std::string &uri) const;
};
AptIndex apt_index(const Invocation &inv, const AptOptions &opts);

// apt's URItoFileName for a file of a flat repository:
// ("https://pkgs.k8s.io/core:/stable:/v1.31/deb/", "Packages") ->
// "pkgs.k8s.io_core:_stable:_v1.31_deb_Packages".
std::string apt_list_file_name(const std::string &uri, const std::string &file);

struct AptView {
  detail::NodeState node;
  detail::PackageUniverse universe;
  PackageFormat format;
  AptIndex index;
  std::vector<AptSource> sources;
  std::vector<AvailablePackage> available;  // origin: the source URI

  bool installed(const std::string &name) const { return !node.package(name).empty(); }
  // Installed, or in a fetched list: apt can locate it.
  bool known(const std::string &name) const;
  // apt's candidate: the newest version from a list, or the installed one
  // when no list offers anything newer (apt never picks a downgrade). Empty
  // when neither exists.
  std::string candidate(const std::string &name) const;
  std::string deb(const std::string &upstream) const { return format.full(upstream); }
  // How apt-cache names a package's list: "https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages".
  std::string packages_file(const AvailablePackage &package) const;
};

AptView load_apt_view(const Invocation &inv, const AptOptions &opts = {});

// Whether `apt-get update` fetched (and kept) the lists of the source at `uri`.
bool lists_fetched(const detail::NodeState &node, const std::string &uri);

}  // namespace kuphost::sandbox::sim
