#include "apt_backend.h"

#include <algorithm>

#include "apt_sources.h"
#include "support/exec_options.hpp"
#include "support/kube_version.hpp"
#include "support/package_command.hpp"
#include "support/repository_edit.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::apt {
namespace {

kup::ExecOptions query_options() { return read_only_query(60 * 1000); }

std::vector<std::string> with_prefix(std::vector<std::string> argv, const std::vector<std::string> &rest) {
  argv.insert(argv.end(), rest.begin(), rest.end());
  return argv;
}

}  // namespace

std::vector<std::string> parse_madison(const std::string &output, const std::string &package) {
  std::vector<std::string> versions;
  for (const auto &line : lines_of(output)) {
    const auto first = line.find('|');
    const auto second = first == std::string::npos ? first : line.find('|', first + 1);
    if (second == std::string::npos) continue;
    const std::string_view name = trim(std::string_view(line).substr(0, first));
    const std::string version(trim(std::string_view(line).substr(first + 1, second - first - 1)));
    const std::string_view source = trim(std::string_view(line).substr(second + 1));
    // Source-package lines end in "Sources" and name no installable version.
    if (name != package || version.empty() || !source.ends_with("Packages")) continue;
    if (std::find(versions.begin(), versions.end(), version) == versions.end()) versions.push_back(version);
  }
  std::stable_sort(versions.begin(), versions.end(), [](const std::string &a, const std::string &b) {
    return compare_package_versions(a, b) > 0;
  });
  return versions;
}

std::vector<std::string> parse_showhold(const std::string &output) {
  std::vector<std::string> held;
  for (const auto &line : lines_of(output)) {
    std::string name(trim(line));
    // A foreign-architecture package is listed as "name:arch".
    if (const auto colon = name.find(':'); colon != std::string::npos) name.resize(colon);
    if (!name.empty()) held.push_back(name);
  }
  return held;
}

std::vector<std::string> AptBackend::available_versions(const std::string &package) {
  kup::ExecOptions opt = query_options();
  opt.check = true;
  // An unknown package is not an error for madison: it prints nothing.
  return parse_madison(host_.run({"apt-cache", "madison", package}, opt).out, package);
}

std::optional<std::string> AptBackend::installed_version(const std::string &package) {
  // Exits 1 ("no packages found matching") when dpkg never knew the package.
  const auto r = host_.run({"dpkg-query", "-W", "-f=${Version}", package}, query_options());
  const std::string version(trim(r.out));
  if (r.exit_code != 0 || version.empty()) return std::nullopt;
  return version;
}

// apt-get refuses to change a held package, and dropping the hold for the
// transaction loses it; the packages are held again afterwards, also when
// the install fails, because an unheld kubelet is upgraded by the next
// unattended `apt upgrade` (packages.md §5).
void AptBackend::install(const std::vector<PackagePin> &pins) {
  if (std::all_of(pins.begin(), pins.end(),
                  [&](const PackagePin &p) { return installed_version(p.name) == p.version; }))
    return;
  std::vector<std::string> names, specs;
  for (const auto &p : pins) {
    names.push_back(p.name);
    specs.push_back(p.name + "=" + p.version);
  }
  unhold(names);
  kup::ExecOptions opt;
  opt.stream = true;
  opt.timeout_ms = 15 * 60 * 1000;
  // A modified /etc config stays the operator's (confold); nothing prompts.
  opt.env = {"DEBIAN_FRONTEND=noninteractive"};
  // The failure names apt's first "E: " line (an unknown version, a held
  // or broken dependency), not only the exit code.
  const auto install = with_prefix(
      {"apt-get", "install", "-y", "--allow-downgrades", "-o", "Dpkg::Options::=--force-confold"}, specs);
  try {
    run_package_command(host_, install, opt, "E: ");
  } catch (const kup::Error &) {
    try {
      hold(names);
    } catch (const kup::Error &) {  // the install error is the one to report
    }
    throw;
  }
  hold(names);
}

// The hold is what keeps the next unattended `apt upgrade` away from
// kubelet, so it is read back rather than assumed from apt-mark's exit code.
void AptBackend::hold(const std::vector<std::string> &packages) {
  const auto marked = host_.run(with_prefix({"apt-mark", "hold"}, packages));
  if (marked.not_run) return;  // dry-run: nothing was held, nothing to check
  kup::ExecOptions opt = query_options();
  opt.check = true;
  const auto held = parse_showhold(host_.run({"apt-mark", "showhold"}, opt).out);
  for (const auto &name : packages)
    if (std::find(held.begin(), held.end(), name) == held.end())
      throw kup::Error(KUP_E_COMMAND_FAILED,
                       "apt-mark hold did not hold " + name + "; `apt-mark showhold` lists " +
                           (held.empty() ? std::string("nothing") : join(held, " ")) +
                           ". Run `apt-mark hold " + name +
                           "` by hand and check that it sticks, or the next apt upgrade moves " + name,
                       marked.out + marked.err);
}

void AptBackend::unhold(const std::vector<std::string> &packages) {
  host_.run(with_prefix({"apt-mark", "unhold"}, packages));
}

std::vector<std::string> private_index_options(const std::string &sources_list, const std::string &lists_dir) {
  return {"-o", "Dir::Etc::SourceList=" + sources_list,
          "-o", "Dir::Etc::SourceParts=/dev/null",
          "-o", "Dir::State::Lists=" + lists_dir,
          // apt would otherwise rewrite the node's binary caches from the private lists.
          "-o", "Dir::Cache::pkgcache=",
          "-o", "Dir::Cache::srcpkgcache="};
}

std::vector<std::string> AptBackend::available_versions_in_minor(const std::string &package,
                                                                 const std::string &minor) {
  if (repository_detail::minor_length_at(minor + "/", 0) != minor.size())
    throw kup::Error(KUP_E_INVALID_ARGUMENT, "'" + minor + "' is not a Kubernetes minor such as v1.31");
  // The node's own line, signed-by and all, with only the minor changed:
  // the same repository the repository phase would switch to.
  const RepositoryEdit edit = edit_repository(repository_.read(), sources_file_, minor);
  const std::string dir = scratch_dir(host_) + "/apt-" + minor;
  const std::string sources_list = dir + "/" + private_sources_name(sources_file_), lists = dir + "/lists";
  // apt creates neither the lists directory nor its partial/ outside /var/lib.
  host_.make_dirs(lists + "/partial", 0755);
  host_.write_file(sources_list, edit.text, 0644);
  const auto options = private_index_options(sources_list, lists);

  kup::ExecOptions update = query_options();
  update.timeout_ms = 5 * 60 * 1000;
  const auto fetched = host_.run(with_prefix(with_prefix({"apt-get"}, options), {"update", "--error-on=any"}), update);
  if (fetched.exit_code != 0) {
    // "E: The repository '.../v1.33/deb  Release' does not have a Release file."
    std::string reason;
    for (const auto &line : lines_of(fetched.err))
      if (line.rfind("E: ", 0) == 0) {
        reason = line;
        break;
      }
    if (reason.empty()) reason = last_line_of(fetched.err.empty() ? fetched.out : fetched.err);
    const bool missing = reason.find("does not have a Release file") != std::string::npos;
    throw kup::Error(missing ? KUP_E_NOT_FOUND : KUP_E_COMMAND_FAILED,
                     "apt cannot read the " + minor + " repository" +
                         (missing ? " (pkgs.k8s.io has none for that minor yet)" : "") + ": " + reason,
                     fetched.err);
  }
  kup::ExecOptions madison = query_options();
  madison.check = true;
  return parse_madison(
      host_.run(with_prefix(with_prefix({"apt-cache"}, options), {"madison", package}), madison).out, package);
}

}  // namespace kuphost_plugins::apt
