#include "apt_sources.h"

namespace kuphost_plugins::apt {

SourcesFile choose_sources_file(const kup::Host &host, const std::optional<std::string> &configured) {
  if (configured && !configured->empty()) return {*configured, {}};
  for (const char *candidate : {kOneLineSourcesFile, kDeb822SourcesFile})
    if (host.stat(candidate).exists()) return {candidate, {}};
  return {kOneLineSourcesFile,
          std::string("neither ") + kOneLineSourcesFile + " nor " + kDeb822SourcesFile +
              " (deb822) exists; add the pkgs.k8s.io repository as the kubeadm install docs do, or set "
              "sources-file in the apt section of kuphost.yaml to the file that holds it"};
}

std::string private_sources_name(std::string_view node_path) {
  return node_path.ends_with(".sources") ? "kubernetes.sources" : "kubernetes.list";
}

}  // namespace kuphost_plugins::apt
