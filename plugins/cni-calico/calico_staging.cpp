#include "calico_staging.h"

#include "release_bundle.h"
#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

constexpr uint32_t kCurlTimeoutMs = 310 * 1000;  // curl's own --max-time 300, plus a margin

std::vector<std::string> curl_argv(const std::string &file, const std::string &url) {
  return {"curl", "-fsSL", "--max-time", "300", "-o", file, url};
}

bool uses_local_manifest(const CalicoSettings &settings, const CalicoInstall &install) {
  return !install.operator_managed() && !settings.manifest.empty();
}

}  // namespace

std::vector<std::string> release_files(const CalicoInstall &install, const KubeVersion &calico) {
  if (!install.operator_managed()) return {"calico.yaml"};
  if (calico.minor >= 32) return {"v1_crd_projectcalico_org.yaml", "tigera-operator.yaml"};
  if (calico.minor >= 30) return {"operator-crds.yaml", "tigera-operator.yaml"};
  return {"tigera-operator.yaml"};  // up to 3.29 the operator's manifest carries its CRDs
}

std::string staging_dir(const CalicoSettings &settings) {
  return "/var/lib/kuphost/calico-" + settings.version_text() + "/manifests";
}

std::vector<std::string> files_to_apply(const CalicoSettings &settings, const CalicoInstall &install) {
  if (uses_local_manifest(settings, install)) return {settings.manifest};
  std::vector<std::string> out;
  for (const auto &name : release_files(install, settings.version.value_or(KubeVersion{3, 0, 0, {}})))
    out.push_back(staging_dir(settings) + "/" + name);
  return out;
}

std::vector<std::string> describe_staging(const CalicoSettings &settings,
                                          const CalicoInstall &install) {
  std::vector<std::string> lines;
  if (uses_local_manifest(settings, install)) {
    lines.push_back("apply " + settings.manifest + " (cni-calico.manifest) instead of the release's calico.yaml");
    return lines;
  }
  if (!install.operator_managed())
    lines.push_back("note: local edits of the installed calico.yaml (e.g. CALICO_IPV4POOL_CIDR) are not carried "
                    "over; put them into a copy and name it with cni-calico.manifest");
  const std::string dir = staging_dir(settings);
  if (!settings.bundle.empty()) {
    lines.push_back("check that the SHA-256 of " + settings.bundle + " is " + settings.bundle_sha256 +
                    ", then unpack its release-*/manifests/ into " + dir);
    return lines;
  }
  for (const auto &name : release_files(install, settings.version.value_or(KubeVersion{3, 0, 0, {}})))
    lines.push_back(command_line(curl_argv(dir + "/" + name, settings.manifests_base() + "/" + name)));
  return lines;
}

void check_bundle(const kup::Host &host, const CalicoSettings &settings) {
  if (settings.bundle.empty()) return;
  if (!host.stat(settings.bundle).exists())
    throw kup::Error(KUP_E_PREREQUISITE_MISSING,
                     "cni-calico.bundle " + settings.bundle + " does not exist on this node; copy the release bundle there");
  try {
    check_bundle_digest(host.resolve(settings.bundle), settings.bundle_sha256);
  } catch (const BundleError &e) {
    throw kup::Error(KUP_E_INVALID_CONFIG, std::string("cni-calico: ") + e.what());
  }
}

std::vector<std::string> stage_release(const kup::Host &host, const CalicoSettings &settings,
                                       const CalicoInstall &install, const Progress &progress) {
  const std::vector<std::string> files = files_to_apply(settings, install);
  if (uses_local_manifest(settings, install)) {
    if (!host.stat(settings.manifest).exists())
      throw kup::Error(KUP_E_PREREQUISITE_MISSING, "cni-calico.manifest " + settings.manifest + " does not exist");
    return files;
  }
  const std::string dir = staging_dir(settings);
  const auto names = release_files(install, *settings.version);
  if (!settings.bundle.empty()) {
    check_bundle(host, settings);  // before libarchive reads a byte of it
    std::map<std::string, std::string> manifests;
    try {
      manifests = read_release_manifests(host.resolve(settings.bundle));
    } catch (const BundleError &e) {
      throw kup::Error(KUP_E_INVALID_CONFIG, std::string("cni-calico: ") + e.what());
    }
    for (const auto &name : names)
      if (!manifests.count(name))
        throw kup::Error(KUP_E_INVALID_CONFIG, "cni-calico: " + settings.bundle + " has no manifests/" + name +
                                                   "; is it the bundle of Calico " + settings.version->str() + "?");
    host.make_dirs(dir, 0755);
    for (const auto &[name, content] : manifests) host.write_file(dir + "/" + name, content, 0644);
    progress("unpacked " + std::to_string(manifests.size()) + " manifests of " + settings.bundle + " into " + dir);
    return files;
  }
  host.make_dirs(dir, 0755);
  for (const auto &name : names) {
    const std::string url = settings.manifests_base() + "/" + name;
    kup::ExecOptions opt;
    opt.check = false;
    opt.timeout_ms = kCurlTimeoutMs;
    const kup::ExecResult r = host.run(curl_argv(dir + "/" + name, url), opt);
    if (r.exit_code != 0 || r.timed_out)
      throw kup::Error(KUP_E_IO, "cni-calico: cannot download " + url + ": " +
                                     (last_line_of(r.err).empty() ? "curl exited with " + std::to_string(r.exit_code)
                                                                  : last_line_of(r.err)) +
                                     "; set cni-calico.manifests-url or cni-calico.bundle for nodes without access",
                       r.err);
    progress("downloaded " + url);
  }
  return files;
}

}  // namespace kuphost_plugins::cni_calico
