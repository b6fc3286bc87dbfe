#include "fake_kube.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace kuphost::test {
namespace {

CommandResult answer(int code, std::string out, std::string err = {}) {
  CommandResult r;
  r.started = true;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

std::string slurp(const std::filesystem::path &file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool has(const std::vector<std::string> &args, const std::string &word) {
  return std::find(args.begin(), args.end(), word) != args.end();
}

}  // namespace

FakeKube::FakeKube(bool operator_install, std::string image_) : image(std::move(image_)), operator_install_(operator_install) {}

std::string FakeKube::version() const { return image.substr(image.rfind(':') + 1); }

CommandResult FakeKube::run(const Command &command) {
  const auto &argv = command.argv;
  if (argv.empty()) return answer(127, "");
  if (argv[0] == "curl") {
    const std::string url = argv.back(), out = argv[argv.size() - 2];
    log.push_back("curl " + url);
    const auto body = urls.find(url);
    if (body == urls.end()) return answer(22, "", "curl: (22) The requested URL returned error: 404");
    std::ofstream(node_root.empty() ? std::filesystem::path(out) : node_root / out.substr(out.find_first_not_of('/')))
        << body->second;
    return answer(0, "");
  }
  if (argv[0] != "kubectl" || argv.size() < 3) return answer(127, "", argv[0] + ": not found");
  return kubectl({argv.begin() + 3, argv.end()}, command.stdin_data);  // after --kubeconfig FILE
}

CommandResult FakeKube::kubectl(const std::vector<std::string> &args, const std::string &stdin_data) {
  if (args[0] == "apply") return apply(args.back(), stdin_data);
  const std::string ns = args[0] == "-n" ? args[1] : "";
  const std::vector<std::string> rest(args.begin() + (ns.empty() ? 0 : 2), args.end());
  if (rest.size() < 2 || rest[0] != "get") return answer(1, "", "error: unexpected kubectl call");
  const std::string &what = rest[1];
  if (what == "-f") {
    const YAML::Node doc = YAML::Load(stdin_data);
    const std::string kind = doc["kind"].as<std::string>(), name = doc["metadata"]["name"].as<std::string>();
    log.push_back("get-f " + kind + "/" + name);
    if (unserved_kinds.count(kind))
      return answer(1, "", "error: resource mapping not found for name: \"" + name + "\": no matches for kind \"" +
                               kind + "\"\nensure CRDs are installed first");
    if (kind != "DaemonSet" || name != "calico-node") return answer(0, "");  // --ignore-not-found
    YAML::Node live = YAML::Load(daemonset_json());
    YAML::Emitter out;
    out << live;
    return answer(0, out.c_str());
  }
  const bool operator_ns = ns == "calico-system" || ns == "tigera-operator";
  if (what == "installations.operator.tigera.io") {
    if (!operator_install_) return answer(1, "", "error: the server doesn't have a resource type \"installations\"");
    if (has(rest, "json")) return answer(0, "{\"status\":{\"calicoVersion\":\"" + (updated == desired ? version() : std::string("v3.29.1")) + "\"}}");
    return answer(0, version());
  }
  if (what == "tigerastatus.operator.tigera.io") {
    const bool done = observed >= generation && updated == desired;
    return answer(0, std::string("{\"status\":{\"conditions\":[{\"type\":\"Available\",\"status\":\"") +
                         (done ? "True" : "False") + "\"}]}}");
  }
  if (what == "deployments") return answer(0, operator_install_ && ns == "tigera-operator" ? "deployment.apps/tigera-operator" : "");
  if (what == "daemonset") {
    if (operator_install_ != operator_ns)
      return answer(1, "", "Error from server (NotFound): daemonsets.apps \"calico-node\" not found");
    if (has(rest, "json")) return answer(0, daemonset_json());
    return answer(0, image);
  }
  return answer(1, "", "error: unexpected kubectl get " + what);
}

CommandResult FakeKube::apply(const std::filesystem::path &file, const std::string &stdin_data) {
  log.push_back("apply " + file.filename().string());
  if (before_apply) before_apply(file.string());
  for (const auto &doc : YAML::LoadAll(file == "-" ? stdin_data : slurp(file))) {
    if (!doc.IsMap()) continue;
    const bool node = doc["kind"].as<std::string>() == "DaemonSet" && doc["metadata"]["name"].as<std::string>() == "calico-node";
    // The operator's Deployment carries the Calico version it rolls out.
    const bool op = doc["kind"].as<std::string>() == "Deployment" && doc["metadata"]["name"].as<std::string>() == "tigera-operator";
    std::string next;
    if (node)
      for (const auto &c : doc["spec"]["template"]["spec"]["containers"]) next = c["image"].as<std::string>();
    if (op) next = "docker.io/calico/node:" + doc["metadata"]["annotations"]["calico-version"].as<std::string>();
    if (!next.empty() && next != image) {
      image = next;
      ++generation;
      updated = 0;
    }
  }
  return answer(0, "applied\n");
}

std::string FakeKube::daemonset_json() {
  observed = generation;  // the controller saw it; one more pod per poll
  if (!never_ready.count(image)) updated = std::min(desired, updated + 1);
  const int available = never_ready.count(image) ? 0 : updated;
  std::ostringstream out;
  out << "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"calico-node\",\"namespace\":\""
      << (operator_install_ ? "calico-system" : "kube-system") << "\",\"uid\":\"u-1\",\"resourceVersion\":\"7\","
      << "\"generation\":" << generation << ",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
      << "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"calico-node\",\"image\":\"" << image << "\"}]}}},"
      << "\"status\":{\"observedGeneration\":" << observed << ",\"desiredNumberScheduled\":" << desired
      << ",\"updatedNumberScheduled\":" << updated << ",\"numberAvailable\":" << available << "}}";
  return out.str();
}

}  // namespace kuphost::test
