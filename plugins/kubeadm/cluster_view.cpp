#include "cluster_view.h"

#include <yaml-cpp/yaml.h>

namespace kuphost_plugins::kubeadm {
namespace {

std::optional<YAML::Node> load_items(std::string_view json, std::string *why) {
  try {
    const YAML::Node doc = YAML::Load(std::string(json));
    if (!doc.IsMap() || !doc["items"] || !doc["items"].IsSequence()) {
      *why = "kubectl's answer has no items list";
      return std::nullopt;
    }
    return doc["items"];
  } catch (const YAML::Exception &e) {
    *why = std::string("kubectl's answer is not JSON: ") + e.what();
    return std::nullopt;
  }
}

std::string text(const YAML::Node &n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

}  // namespace

std::optional<KubeVersion> parse_server_version(std::string_view json) {
  try {
    const YAML::Node doc = YAML::Load(std::string(json));
    if (!doc.IsMap() || !doc["serverVersion"]) return std::nullopt;
    return KubeVersion::parse(text(doc["serverVersion"]["gitVersion"]));
  } catch (const YAML::Exception &) {
    return std::nullopt;
  }
}

std::optional<std::vector<ClusterNodeInfo>> parse_nodes(std::string_view json, std::string *why) {
  const auto items = load_items(json, why);
  if (!items) return std::nullopt;
  std::vector<ClusterNodeInfo> out;
  for (const auto &item : *items) {
    ClusterNodeInfo n;
    n.name = text(item["metadata"]["name"]);
    n.kubelet = text(item["status"]["nodeInfo"]["kubeletVersion"]);
    for (const auto &c : item["status"]["conditions"])
      if (text(c["type"]) == "Ready") n.ready = text(c["status"]);
    const auto labels = item["metadata"]["labels"];
    n.control_plane = labels && (labels["node-role.kubernetes.io/control-plane"] || labels["node-role.kubernetes.io/master"]);
    out.push_back(std::move(n));
  }
  return out;
}

std::optional<std::vector<PodInfo>> parse_pods(std::string_view json, std::string *why) {
  const auto items = load_items(json, why);
  if (!items) return std::nullopt;
  std::vector<PodInfo> out;
  for (const auto &item : *items) {
    PodInfo p;
    p.name = text(item["metadata"]["name"]);
    p.node = text(item["spec"]["nodeName"]);
    p.phase = text(item["status"]["phase"]);
    const auto containers = item["spec"]["containers"];
    if (containers && containers.IsSequence() && containers.size() > 0) p.image = text(containers[0]["image"]);
    out.push_back(std::move(p));
  }
  return out;
}

std::string image_tag(std::string_view image) {
  if (const auto at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  const auto colon = image.rfind(':');
  const auto slash = image.rfind('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) return {};
  return std::string(image.substr(colon + 1));
}

}  // namespace kuphost_plugins::kubeadm
