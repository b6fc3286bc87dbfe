// apt-cache madison and policy, from the lists `apt-get update` fetched for
// the configured repositories (apt_view.h).
#include <algorithm>
#include <cstdio>
#include <ostream>

#include "apt_options.h"
#include "apt_output.h"
#include "apt_view.h"
#include "commands.h"
#include "package_version.h"

namespace kuphost::sandbox::sim {
namespace {

// "   kubeadm | 1.31.2-1.1 | https://pkgs.k8s.io/core:/stable:/v1.31/deb  Packages"
int madison(std::ostream &out, const AptView &view, const std::vector<std::string> &names) {
  for (const auto &name : names) {
    for (const AvailablePackage *p : versions_of(view.available, name)) {
      char columns[128];
      std::snprintf(columns, sizeof columns, "%10s | %10s | ", name.c_str(), view.deb(p->version).c_str());
      out << columns << view.packages_file(*p) << "\n";
    }
  }
  return 0;
}

void policy_of(std::ostream &out, const AptView &view, const std::string &name) {
  const std::string installed = view.node.package(name);
  const std::string candidate = view.candidate(name);
  out << name << ":\n"
      << "  Installed: " << (installed.empty() ? "(none)" : view.deb(installed)) << "\n"
      << "  Candidate: " << (candidate.empty() ? "(none)" : view.deb(candidate)) << "\n"
      << "  Version table:\n";
  std::vector<std::string> versions;
  for (const AvailablePackage *p : versions_of(view.available, name))
    if (std::find(versions.begin(), versions.end(), p->version) == versions.end()) versions.push_back(p->version);
  if (!installed.empty() && std::find(versions.begin(), versions.end(), installed) == versions.end())
    versions.push_back(installed);
  std::sort(versions.begin(), versions.end(),
            [](const std::string &a, const std::string &b) { return detail::compare_package_versions(a, b) > 0; });
  for (const auto &version : versions) {
    std::vector<const AvailablePackage *> from;
    for (const AvailablePackage *p : versions_of(view.available, name))
      if (p->version == version) from.push_back(p);
    out << (version == installed ? " *** " : "     ") << view.deb(version) << " " << (from.empty() ? 100 : 500) << "\n";
    for (const AvailablePackage *p : from) out << "        500 " << view.packages_file(*p) << "\n";
    if (version == installed) out << "        100 /var/lib/dpkg/status\n";
  }
}

int policy(std::ostream &out, const AptView &view, const std::vector<std::string> &names) {
  if (names.empty()) {
    out << "Package files:\n 100 /var/lib/dpkg/status\n     release a=now\n";
    for (const auto &source : view.sources) {
      const RepositoryTarget target = locate_repository(source.uri, "deb", view.universe);
      if (!view.index.fetched(view.node, source.uri) || target.state != RepositoryState::kAvailable) continue;
      const std::string label = "isv:kubernetes:core:stable:" + target.minor;
      out << " 500 " << source.apt_description() << " Packages\n"
          << "     release o=obs://build.opensuse.org/" << label << "/deb,n=,l=" << label << ",c=\n"
          << "     origin " << url_host(source.uri) << "\n";
    }
    out << "Pinned packages:\n";
    return 0;
  }
  // Like apt, an unknown package prints nothing.
  for (const auto &name : names)
    if (view.known(name)) policy_of(out, view, name);
  return 0;
}

}  // namespace

int run_apt_cache(Invocation &inv) {
  std::string error;
  const auto opts = parse_apt_options(inv.args, &error);
  if (!opts) {
    inv.err << "E: " << error << "\n";
    return kAptErrorExit;
  }
  AptOutput output(inv, opts->quiet);
  if (opts->operands.empty()) {
    inv.out << apt_version_line(detail::read_node_state(inv.root).distro) << "\n"
            << "Usage: apt-cache [options] command\n\n"
               "In the kuphost sandbox apt-cache simulates madison and policy.\n";
    return 1;
  }
  const std::string &op = opts->operands.front();
  const std::vector<std::string> names(opts->operands.begin() + 1, opts->operands.end());
  if (op == "madison") return madison(output.out(), load_apt_view(inv, *opts), names);
  if (op == "policy") return policy(output.out(), load_apt_view(inv, *opts), names);
  inv.err << "E: the kuphost sandbox simulates only apt-cache madison and policy, not '" << op << "'\n";
  return kAptErrorExit;
}

}  // namespace kuphost::sandbox::sim
