//===- apt/apt_sources.h - which apt sources file holds pkgs.k8s.io -------===//
#ifndef KUPHOST_PLUGINS_APT_APT_SOURCES_H
#define KUPHOST_PLUGINS_APT_APT_SOURCES_H

#include <optional>
#include <string>
#include <string_view>

#include <kuphost/kuphost.hpp>

namespace kuphost_plugins::apt {

// Where the kubeadm install docs put the repository: a one-line .list file.
inline constexpr const char *kOneLineSourcesFile = "/etc/apt/sources.list.d/kubernetes.list";
// The deb822 form, which newer Debian and Ubuntu images and some operators use.
inline constexpr const char *kDeb822SourcesFile = "/etc/apt/sources.list.d/kubernetes.sources";

struct SourcesFile {
  std::string path;  // the node path the repository phase edits
  // Non-empty when no candidate exists: the one line that says which paths
  // were looked for and what to do; reported when the file is first read,
  // so that nodes that never touch packages are not refused at init.
  std::string missing_message;
};

// The `sources-file` config value when set (non-empty); otherwise
// kubernetes.list if it exists, else kubernetes.sources if it exists.
SourcesFile choose_sources_file(const kup::Host &host, const std::optional<std::string> &configured);

// The file name for a private copy of `node_path`: apt picks the parser by
// the extension (".sources" is deb822, anything else one-line), so the copy
// keeps the original's kind.
std::string private_sources_name(std::string_view node_path);

}  // namespace kuphost_plugins::apt

#endif  // KUPHOST_PLUGINS_APT_APT_SOURCES_H
