#include "calico_install.h"

#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

// The answer to one kubectl get: its output, or nullopt for "no such
// object or resource type". Anything else means kubectl cannot tell.
std::optional<std::string> get(const kup::Host &host, std::vector<std::string> args) {
  kup::ExecOptions opt;
  opt.read_only = true;
  opt.check = false;
  opt.timeout_ms = 30 * 1000;
  kup::ExecResult r;
  try {
    r = host.run(kubectl(std::move(args)), opt);
  } catch (const kup::Error &e) {  // kubectl missing, or it timed out
    throw kup::Error(KUP_E_NOT_APPLICABLE, std::string("cannot detect Calico: ") + e.what());
  }
  if (r.exit_code == 0) return std::string(trim(r.out));
  const std::string why = last_line_of(r.err.empty() ? r.out : r.err);
  if (why.find("NotFound") != std::string::npos || why.find("not found") != std::string::npos ||
      why.find("doesn't have a resource type") != std::string::npos)
    return std::nullopt;
  throw kup::Error(
      KUP_E_NOT_APPLICABLE,
      "cannot detect Calico: " + (why.empty() ? "kubectl exited with " + std::to_string(r.exit_code) : why));
}

// "docker.io/calico/node:v3.28.1" -> "v3.28.1"
std::string image_tag(const std::string &image) {
  const auto colon = image.rfind(':');
  if (colon == std::string::npos || image.find('/', colon) != std::string::npos) return {};
  return image.substr(colon + 1);
}

}  // namespace

std::vector<std::string> kubectl(std::vector<std::string> args) {
  std::vector<std::string> argv{"kubectl", "--kubeconfig", kAdminConf};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::optional<CalicoInstall> detect_calico(const kup::Host &host) {
  if (auto version = get(host, {"get", "installations.operator.tigera.io", "default", "-o",
                                "jsonpath={.status.calicoVersion}"})) {
    CalicoInstall install{CalicoInstall::Method::kOperator, *version};
    if (!install.version.empty() && install.version.front() != 'v') install.version = "v" + install.version;
    return install;
  }
  if (auto image = get(host, {"-n", "kube-system", "get", "daemonset", "calico-node", "-o",
                              "jsonpath={.spec.template.spec.containers[?(@.name==\"calico-node\")].image}"}))
    return CalicoInstall{CalicoInstall::Method::kManifest, image_tag(*image)};
  return std::nullopt;
}

std::optional<std::pair<int, int>> tested_kubernetes_minors(const KubeVersion &calico) {
  struct Row {
    int calico_minor, lowest, highest;
  };
  static constexpr Row kTested[] = {{25, 23, 27}, {26, 24, 28}, {27, 27, 29}, {28, 27, 30},
                                    {29, 29, 32}, {30, 31, 35}, {31, 32, 35}, {32, 34, 36}};
  if (calico.major != 3) return std::nullopt;
  for (const auto &row : kTested)
    if (row.calico_minor == calico.minor) return std::pair{row.lowest, row.highest};
  return std::nullopt;
}

}  // namespace kuphost_plugins::cni_calico
