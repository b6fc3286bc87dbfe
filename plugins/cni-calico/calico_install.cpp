#include "calico_install.h"

#include "support/exec_options.hpp"
#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

constexpr const char *kNodeImage = "jsonpath={.spec.template.spec.containers[?(@.name==\"calico-node\")].image}";

// The tag of calico-node's image in `ns`, or nullopt without the DaemonSet.
std::optional<std::string> node_image_tag(const kup::Host &host, const char *ns) {
  const auto image = kubectl_get(host, {"-n", ns, "get", "daemonset", "calico-node", "-o", kNodeImage},
                                 KUP_E_NOT_APPLICABLE);
  if (!image) return std::nullopt;
  return image_tag(*image);
}

std::string with_v(std::string version) {
  if (!version.empty() && version.front() != 'v') version = "v" + version;
  return version;
}

}  // namespace

std::vector<std::string> kubectl(std::vector<std::string> args) {
  std::vector<std::string> argv{"kubectl", "--kubeconfig", kAdminConf};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::optional<std::string> kubectl_get(const kup::Host &host, std::vector<std::string> args, kup_status code,
                                       const std::string &stdin_data) {
  kup::ExecOptions opt = read_only_query(30 * 1000);
  opt.stdin_data = stdin_data;
  kup::ExecResult r;
  const std::string prefix = code == KUP_E_NOT_APPLICABLE ? "cannot detect Calico: " : "";
  try {
    r = host.run(kubectl(std::move(args)), opt);
  } catch (const kup::Error &e) {  // kubectl missing, or it timed out
    throw kup::Error(code, prefix + e.what());
  }
  if (r.exit_code == 0) return std::string(trim(r.out));
  const std::string why = last_line_of(r.err.empty() ? r.out : r.err);
  // kubectl ends "no matches for kind" with a hint line, so the whole of
  // stderr is searched for the kinds the server does not serve yet.
  if (why.find("NotFound") != std::string::npos || why.find("not found") != std::string::npos ||
      r.err.find("doesn't have a resource type") != std::string::npos ||
      r.err.find("no matches for kind") != std::string::npos)
    return std::nullopt;
  throw kup::Error(code, prefix + (why.empty() ? "kubectl exited with " + std::to_string(r.exit_code) : why), r.err);
}

std::string image_tag(const std::string &image) {
  const auto colon = image.rfind(':');
  if (colon == std::string::npos || image.find('/', colon) != std::string::npos) return {};
  return image.substr(colon + 1);
}

std::optional<CalicoInstall> detect_calico(const kup::Host &host) {
  const CalicoInstall::Method op = CalicoInstall::Method::kOperator;
  if (auto version = kubectl_get(host, {"get", "installations.operator.tigera.io", "default", "-o",
                                        "jsonpath={.status.calicoVersion}"},
                                 KUP_E_NOT_APPLICABLE)) {
    if (version->empty()) version = node_image_tag(host, "calico-system").value_or("");
    return CalicoInstall{op, with_v(*version)};
  }
  const auto operators = kubectl_get(host, {"-n", "tigera-operator", "get", "deployments", "-o", "name"},
                                     KUP_E_NOT_APPLICABLE);
  if (operators && !trim(*operators).empty())
    return CalicoInstall{op, with_v(node_image_tag(host, "calico-system").value_or(""))};
  if (auto tag = node_image_tag(host, "kube-system"))
    return CalicoInstall{CalicoInstall::Method::kManifest, with_v(*tag)};
  return std::nullopt;
}

}  // namespace kuphost_plugins::cni_calico
