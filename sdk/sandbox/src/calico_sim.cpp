#include "calico_sim.h"

#include <algorithm>
#include <ctime>
#include <vector>

#include "typed_yaml.h"

namespace kuphost::sandbox::detail {
namespace {

constexpr int64_t kObserveMs = 100;  // the controller sees a new generation
constexpr int64_t kStepMs = 300;     // one more pod updated and available
const std::string kOperatorGroup = "operator.tigera.io";

YAML::Node at(const YAML::Node &node, std::initializer_list<const char *> path) {
  YAML::Node current;
  current.reset(node);
  for (const char *key : path) {
    const YAML::Node &view = current;
    if (!view || !view.IsMap() || !view[key]) return YAML::Node(YAML::NodeType::Undefined);
    current.reset(view[key]);
  }
  return current;
}

std::vector<std::string> images_of(const YAML::Node &object) {
  std::vector<std::string> images;
  const YAML::Node containers = at(object, {"spec", "template", "spec", "containers"});
  if (containers && containers.IsSequence())
    for (const auto &c : containers)
      if (c.IsMap() && c["image"]) images.push_back(c["image"].as<std::string>(""));
  return images;
}

std::string tag_of(const std::string &image) {
  const size_t colon = image.rfind(':');
  return colon == std::string::npos || image.find('/', colon) != std::string::npos ? "" : image.substr(colon + 1);
}

std::string time_text(int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// (major, minor) of "v3.30.3"; (0, 0) when it does not parse.
std::pair<int, int> minor_of(const std::string &version) {
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "v%d.%d", &major, &minor) != 2) return {0, 0};
  return {major, minor};
}

struct OperatorView {
  const StoredObject *deployment = nullptr;
  std::string version;  // the Calico version it installs
  std::vector<std::string> missing_crds;
  const StoredObject *installation = nullptr, *calico_node = nullptr;
  std::string wanted_image() const { return "docker.io/calico/node:" + version; }
};

OperatorView operator_view(const ObjectStore &store) {
  OperatorView v;
  v.deployment = store.find("apps", "Deployment", "tigera-operator", "tigera-operator");
  if (!v.deployment) return v;
  v.version = at(v.deployment->object, {"spec", "template", "metadata", "annotations", kCalicoVersionAnnotation})
                  .as<std::string>("");
  std::vector<std::string> needed{"installations.operator.tigera.io", "tigerastatuses.operator.tigera.io"};
  if (minor_of(v.version) >= std::pair{3, 30})
    needed.insert(needed.end(), {"goldmanes.operator.tigera.io", "whiskers.operator.tigera.io"});
  for (const auto &crd : needed)
    if (!store.find("apiextensions.k8s.io", "CustomResourceDefinition", "", crd)) v.missing_crds.push_back(crd);
  v.installation = store.find(kOperatorGroup, "Installation", "", "default");
  v.calico_node = store.find("apps", "DaemonSet", "calico-system", "calico-node");
  return v;
}

YAML::Node condition(const std::string &type, bool status, const std::string &reason, const std::string &message,
                     int64_t since) {
  YAML::Node c(YAML::NodeType::Map);
  c["type"] = type;
  c["status"] = status ? "True" : "False";
  c["reason"] = reason;
  c["message"] = message;
  c["lastTransitionTime"] = time_text(since);
  return c;
}

// The operator's conditions, as TigeraStatus `calico` reports them.
YAML::Node operator_conditions(const OperatorView &v, const ClusterState &cluster, int64_t now) {
  YAML::Node list(YAML::NodeType::Sequence);
  bool available = false, progressing = false, degraded = false;
  std::string reason, message;
  if (!v.missing_crds.empty()) {
    degraded = true;
    reason = "ResourceNotFound";
    message = "CRDs missing for Calico " + v.version + ": ";
    for (size_t i = 0; i < v.missing_crds.size(); ++i) message += (i ? ", " : "") + v.missing_crds[i];
  } else if (!v.calico_node) {
    progressing = true;
    reason = "ResourceNotReady";
    message = v.installation ? "Waiting for DaemonSet calico-system/calico-node" : "Waiting for Installation default";
  } else {
    const RolloutStatus s = rollout_status(*v.calico_node, cluster, now);
    const std::vector<std::string> images = images_of(v.calico_node->object);
    if (s.done() && !images.empty() && images.front() == v.wanted_image()) {
      available = true;
      reason = "AllObjectsAvailable";
      message = "All objects available";
    } else {
      progressing = true;
      reason = "ResourceNotReady";
      message = "DaemonSet \"calico-system/calico-node\" is not available (awaiting " +
                std::to_string(s.desired - s.available) + " of " + std::to_string(s.desired) + " pods)";
    }
  }
  const int64_t since = v.calico_node && v.calico_node->rollout_started_ms ? v.calico_node->rollout_started_ms : now;
  list.push_back(condition("Available", available, available ? reason : "ResourceNotReady", available ? message : "", since));
  list.push_back(condition("Progressing", progressing, reason, progressing ? message : "", since));
  list.push_back(condition("Degraded", degraded, reason, degraded ? message : "", since));
  return list;
}

bool condition_true(const YAML::Node &conditions, const std::string &type) {
  for (const auto &c : conditions)
    if (c["type"].as<std::string>("") == type) return c["status"].as<std::string>("") == "True";
  return false;
}

YAML::Node workload_status(const StoredObject &o, const ClusterState &cluster, int64_t now) {
  const RolloutStatus s = rollout_status(o, cluster, now);
  YAML::Node status(YAML::NodeType::Map);
  status["observedGeneration"] = s.observed_generation;
  if (o.kind() == "DaemonSet") {
    status["currentNumberScheduled"] = s.desired;
    status["desiredNumberScheduled"] = s.desired;
    status["numberMisscheduled"] = 0;
    status["numberReady"] = s.available;
    status["numberAvailable"] = s.available;
    if (s.desired > s.available) status["numberUnavailable"] = s.desired - s.available;
    status["updatedNumberScheduled"] = s.updated;
  } else {
    status["replicas"] = s.desired;
    status["updatedReplicas"] = s.updated;
    status["readyReplicas"] = s.available;
    status["availableReplicas"] = s.available;
    if (s.desired > s.available) status["unavailableReplicas"] = s.desired - s.available;
  }
  return status;
}

}  // namespace

RolloutStatus rollout_status(const StoredObject &o, const ClusterState &cluster, int64_t now) {
  RolloutStatus s;
  s.generation = at(o.object, {"metadata", "generation"}).as<int64_t>(1);
  if (o.kind() == "DaemonSet") {
    for (const auto &n : cluster.nodes) s.desired += n.os == "linux" ? 1 : 0;
  } else {
    s.desired = at(o.object, {"spec", "replicas"}).as<int>(1);
  }
  const int64_t elapsed = o.rollout_started_ms ? now - o.rollout_started_ms : INT64_MAX / 2;
  s.observed_generation = elapsed >= kObserveMs ? s.generation : s.generation - 1;
  const int steps = static_cast<int>(std::min<int64_t>(elapsed / kStepMs, s.desired));
  bool never_ready = false;
  for (const auto &image : images_of(o.object))
    never_ready = never_ready || std::find(cluster.calico_never_ready_images.begin(),
                                           cluster.calico_never_ready_images.end(),
                                           image) != cluster.calico_never_ready_images.end();
  if (never_ready) {
    // maxUnavailable 1: the first new pod never gets ready, so the rollout stops there.
    s.updated = std::min(steps, 1);
    s.available = std::max(0, s.desired - s.updated);
  } else {
    s.updated = steps;
    s.available = steps == s.desired ? s.desired : std::max(0, s.desired - 1);
  }
  return s;
}

YAML::Node object_as_read(const StoredObject &o, const ObjectStore &store, const ClusterState &cluster, int64_t now) {
  if (o.group() == "apps" && (o.kind() == "DaemonSet" || o.kind() == "Deployment")) {
    YAML::Node copy = YAML::Clone(o.object);
    // The API server's defaults, which `kubectl rollout status` reads.
    const char *strategy = o.kind() == "DaemonSet" ? "updateStrategy" : "strategy";
    if (copy["spec"].IsMap() && !at(copy, {"spec", strategy}))
      copy["spec"][strategy] = YAML::Load("{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}");
    copy["status"] = workload_status(o, cluster, now);
    return copy;
  }
  if (o.group() != kOperatorGroup || (o.kind() != "TigeraStatus" && o.kind() != "Installation")) return o.object;
  const OperatorView v = operator_view(store);
  if (!v.deployment) return o.object;
  YAML::Node copy = YAML::Clone(o.object);
  const YAML::Node conditions = operator_conditions(v, cluster, now);
  if (o.kind() == "TigeraStatus") {
    copy["status"]["conditions"] = conditions;
    return copy;
  }
  copy["status"]["variant"] = "Calico";
  if (v.calico_node) {
    const std::vector<std::string> images = images_of(v.calico_node->object);
    const std::string current = images.empty() ? "" : images.front();
    const std::string version = condition_true(conditions, "Available") ? tag_of(current) : tag_of(v.calico_node->previous_image);
    if (!version.empty()) copy["status"]["calicoVersion"] = version;
  }
  copy["status"]["conditions"] = conditions;
  return copy;
}

bool reconcile_tigera_operator(ObjectStore &store, int64_t now) {
  const OperatorView v = operator_view(store);
  if (!v.deployment || v.version.empty() || !v.missing_crds.empty() || !v.installation) return false;
  // Read everything before adding objects: adding moves the stored ones.
  const std::string wanted = v.wanted_image();
  const std::vector<std::string> images = v.calico_node ? images_of(v.calico_node->object) : std::vector<std::string>{};
  const std::string previous = images.empty() ? "" : images.front();
  const bool has_status_crd =
      store.find("apiextensions.k8s.io", "CustomResourceDefinition", "", "tigerastatuses.operator.tigera.io");
  bool changed = false;
  if (!store.find("", "Namespace", "", "calico-system")) {
    store_object(store, YAML::Load("{apiVersion: v1, kind: Namespace, metadata: {name: calico-system}}"), now);
    changed = true;
  }
  if (has_status_crd && !store.find(kOperatorGroup, "TigeraStatus", "", "calico")) {
    store_object(store, YAML::Load("{apiVersion: operator.tigera.io/v1, kind: TigeraStatus, metadata: {name: calico}, spec: {}}"),
                 now);
    changed = true;
  }
  if (previous == wanted) return changed;
  YAML::Node ds = YAML::Load(
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node, namespace: calico-system, labels: "
      "{k8s-app: calico-node}}\nspec:\n  selector: {matchLabels: {k8s-app: calico-node}}\n  template:\n"
      "    metadata: {labels: {k8s-app: calico-node}}\n    spec:\n      containers:\n      - name: calico-node\n"
      "        image: IMAGE\n");
  ds["spec"]["template"]["spec"]["containers"][0]["image"] = wanted;
  StoredObject &stored = store_object(store, ds, now);
  stored.previous_image = previous;
  return true;
}

}  // namespace kuphost::sandbox::detail
