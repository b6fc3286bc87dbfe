#include "calico_rollout.h"

#include <yaml-cpp/yaml.h>

#include "support/text.hpp"

namespace kuphost_plugins::cni_calico {
namespace {

long number(const YAML::Node &node) {
  try {
    return node && node.IsScalar() ? node.as<long>() : 0;
  } catch (const YAML::Exception &) {
    return 0;
  }
}

std::string text(const YAML::Node &node) { return node && node.IsScalar() ? node.as<std::string>() : ""; }

YAML::Node parse(const std::string &json) {
  try {
    return YAML::Load(json);
  } catch (const YAML::Exception &) {
    return YAML::Node();
  }
}

void check_daemonset(const CalicoInstall &install, const std::string &version, const std::optional<std::string> &json,
                     Convergence &out) {
  const std::string name = std::string("DaemonSet ") + install.node_namespace() + "/calico-node";
  if (!json) return out.pending.push_back(name + " does not exist");
  const YAML::Node ds = parse(*json);
  const YAML::Node status = ds["status"];
  const long generation = number(ds["metadata"]["generation"]), observed = number(status["observedGeneration"]);
  const long desired = number(status["desiredNumberScheduled"]), updated = number(status["updatedNumberScheduled"]);
  const long available = number(status["numberAvailable"]);
  if (observed < generation)
    return out.pending.push_back(name + ": the controller has not seen generation " + std::to_string(generation) +
                                 " yet (observed " + std::to_string(observed) + ")");
  if (updated != desired || available != desired)
    out.pending.push_back(name + ": " + std::to_string(updated) + " of " + std::to_string(desired) +
                          " pods updated, " + std::to_string(available) + " available");
  if (install.operator_managed() && !version.empty()) {
    for (const auto &c : ds["spec"]["template"]["spec"]["containers"])
      if (text(c["name"]) == "calico-node" && image_tag(text(c["image"])) != version)
        out.pending.push_back(name + " runs " + text(c["image"]) + ", not " + version + " yet");
  }
}

}  // namespace

std::string duration_text(uint64_t ms) {
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

Convergence evaluate_rollout(const CalicoInstall &install, const std::string &version,
                             const std::optional<std::string> &daemonset_json,
                             const std::optional<std::string> &tigerastatus_json,
                             const std::optional<std::string> &installation_json) {
  Convergence out;
  if (install.operator_managed()) {
    const std::string reported = installation_json ? text(parse(*installation_json)["status"]["calicoVersion"]) : "";
    const std::string normalized = !reported.empty() && reported.front() != 'v' ? "v" + reported : reported;
    if (!installation_json) out.pending.push_back("Installation default does not exist");
    else if (!version.empty() && normalized != version)
      out.pending.push_back("Installation default reports Calico " + (reported.empty() ? "no version" : normalized) +
                            ", not " + version);
    std::string available = "absent", message;
    if (tigerastatus_json)
      for (const auto &c : parse(*tigerastatus_json)["status"]["conditions"]) {
        if (text(c["type"]) == "Available") available = text(c["status"]);
        if ((text(c["type"]) == "Degraded" || text(c["type"]) == "Progressing") && text(c["status"]) == "True")
          message = text(c["type"]) + (text(c["message"]).empty() ? "" : ": " + text(c["message"]));
      }
    if (!tigerastatus_json) out.pending.push_back("TigeraStatus calico does not exist");
    else if (available != "True")
      out.pending.push_back("TigeraStatus calico is not Available (Available=" + available +
                            (message.empty() ? "" : ", " + message) + ")");
  }
  check_daemonset(install, version, daemonset_json, out);
  return out;
}

Convergence poll_rollout(const kup::Host &host, const CalicoInstall &install, const std::string &version) {
  std::optional<std::string> tigerastatus, installation;
  if (install.operator_managed()) {
    tigerastatus = kubectl_get(host, {"get", "tigerastatus.operator.tigera.io", "calico", "-o", "json"});
    installation = kubectl_get(host, {"get", "installations.operator.tigera.io", "default", "-o", "json"});
  }
  const auto ds = kubectl_get(host, {"-n", install.node_namespace(), "get", "daemonset", "calico-node", "-o", "json"});
  return evaluate_rollout(install, version, ds, tigerastatus, installation);
}

void wait_for_rollout(const kup::Host &host, const CalicoInstall &install, const std::string &version,
                      uint64_t timeout_ms, const std::function<void(const std::string &)> &progress) {
  const int64_t start = host.monotonic_ms();
  std::string last;
  for (;;) {
    try {
      const Convergence c = poll_rollout(host, install, version);
      if (c.done()) return;
      const std::string now = join(c.pending, "; ");
      if (now != last) progress("waiting: " + now);
      last = now;
    } catch (const kup::Error &e) {  // the API server may blink while Calico restarts
      last = std::string("kubectl failed: ") + e.what();
    }
    if (static_cast<uint64_t>(host.monotonic_ms() - start) >= timeout_ms)
      throw kup::Error(KUP_E_TIMEOUT,
                       "Calico did not converge within " + duration_text(timeout_ms) + ": " + last);
    host.sleep_ms(kPollIntervalMs);
  }
}

}  // namespace kuphost_plugins::cni_calico
