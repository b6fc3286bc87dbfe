// kubectl get nodes / pods, printed from cluster.yaml the way kubectl's
// table, wide, name and JSON printers do.
#include <yaml-cpp/yaml.h>

#include <ostream>

#include "json_writer.h"
#include "kubectl.h"
#include "yaml_io.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::ClusterNode;
using detail::ClusterState;
using detail::Pod;

constexpr const char *kContainerRuntime = "containerd://1.7.22";

std::string status_of(const ClusterNode &n) {
  std::string s = n.ready ? "Ready" : "NotReady";
  if (n.unschedulable) s += ",SchedulingDisabled";
  return s;
}

Json node_json(const ClusterNode &n, size_t index) {
  Json labels = Json::object();
  labels.set("beta.kubernetes.io/arch", "amd64").set("beta.kubernetes.io/os", n.os);
  labels.set("kubernetes.io/arch", "amd64").set("kubernetes.io/hostname", n.name).set("kubernetes.io/os", n.os);
  if (n.is_control_plane()) {
    labels.set("node-role.kubernetes.io/control-plane", "");
    labels.set("node.kubernetes.io/exclude-from-external-load-balancers", "");
  }
  Json metadata = Json::object();
  metadata.set("creationTimestamp", n.created_at).set("labels", labels).set("name", n.name);
  metadata.set("resourceVersion", std::to_string(1000 + index)).set("uid", detail::pod_suffix(n.name, 36));

  Json taints = Json::array();
  if (n.is_control_plane())
    taints.push(Json::object().set("effect", "NoSchedule").set("key", "node-role.kubernetes.io/control-plane"));
  if (n.unschedulable)
    taints.push(Json::object().set("effect", "NoSchedule").set("key", "node.kubernetes.io/unschedulable"));
  const std::string cidr = "10.244." + std::to_string(index) + ".0/24";
  Json spec = Json::object();
  spec.set("podCIDR", cidr).set("podCIDRs", Json::array().push(cidr));
  if (n.is_control_plane() || n.unschedulable) spec.set("taints", taints);
  if (n.unschedulable) spec.set("unschedulable", true);

  Json ready = Json::object();
  ready.set("lastHeartbeatTime", n.created_at).set("lastTransitionTime", n.created_at);
  ready.set("message", n.ready ? "kubelet is posting ready status" : "Kubelet stopped posting node status.");
  ready.set("reason", n.ready ? "KubeletReady" : "NodeStatusUnknown");
  ready.set("status", n.ready ? "True" : "Unknown").set("type", "Ready");
  Json node_info = Json::object();
  node_info.set("architecture", "amd64").set("bootID", detail::pod_suffix(n.name + "/boot", 36));
  node_info.set("containerRuntimeVersion", kContainerRuntime).set("kernelVersion", n.kernel_version);
  node_info.set("kubeProxyVersion", n.kubelet_version).set("kubeletVersion", n.kubelet_version);
  node_info.set("machineID", detail::pod_suffix(n.name + "/machine", 32)).set("operatingSystem", n.os);
  node_info.set("osImage", n.os_image).set("systemUUID", detail::pod_suffix(n.name + "/uuid", 36));
  Json status = Json::object();
  status.set("addresses", Json::array()
                              .push(Json::object().set("address", n.address).set("type", "InternalIP"))
                              .push(Json::object().set("address", n.name).set("type", "Hostname")));
  status.set("conditions", Json::array().push(ready)).set("nodeInfo", node_info);

  Json node = Json::object();
  node.set("apiVersion", "v1").set("kind", "Node").set("metadata", metadata).set("spec", spec).set("status", status);
  return node;
}

Json pod_json(const Pod &p, const ClusterNode &n) {
  Json owner = Json::object();
  owner.set("apiVersion", p.owner_kind == "Node" ? "v1" : "apps/v1").set("controller", true);
  owner.set("kind", p.owner_kind).set("name", p.owner_name);
  Json metadata = Json::object();
  metadata.set("name", p.name).set("namespace", p.ns).set("ownerReferences", Json::array().push(owner));
  metadata.set("uid", detail::pod_suffix(p.ns + "/" + p.name, 36));
  Json spec = Json::object();
  spec.set("nodeName", n.name);
  if (p.empty_dir)
    spec.set("volumes", Json::array().push(Json::object().set("emptyDir", Json::object()).set("name", "data")));
  Json pod = Json::object();
  pod.set("apiVersion", "v1").set("kind", "Pod").set("metadata", metadata).set("spec", spec);
  pod.set("status", Json::object().set("phase", "Running"));
  return pod;
}

Json list_json(Json items) {
  Json list = Json::object();
  list.set("apiVersion", "v1").set("items", std::move(items)).set("kind", "List");
  list.set("metadata", Json::object().set("resourceVersion", ""));
  return list;
}

void print_structured(Invocation &inv, const Json &value, const std::string &output) {
  if (output == "json")
    inv.out << value.dump(4) << "\n";
  else
    inv.out << detail::emit_yaml(YAML::Load(value.dump(2)));
}

int get_nodes(Invocation &inv, const ParsedFlags &flags, const std::vector<std::string> &names) {
  const ClusterState state = detail::read_cluster(inv.sandbox_dir);
  std::vector<std::pair<const ClusterNode *, size_t>> selected;
  for (const auto &name : names) {
    const ClusterNode *n = state.find(name);
    if (!n) return node_not_found(inv, name);
    selected.emplace_back(n, static_cast<size_t>(n - state.nodes.data()));
  }
  if (names.empty())
    for (size_t i = 0; i < state.nodes.size(); ++i) selected.emplace_back(&state.nodes[i], i);

  const std::string output = flags.get("output");
  if (output == "json" || output == "yaml") {
    if (names.size() == 1) {
      print_structured(inv, node_json(*selected[0].first, selected[0].second), output);
      return 0;
    }
    Json items = Json::array();
    for (const auto &[n, i] : selected) items.push(node_json(*n, i));
    print_structured(inv, list_json(std::move(items)), output);
    return 0;
  }
  if (output == "name") {
    for (const auto &[n, i] : selected) inv.out << "node/" << n->name << "\n";
    return 0;
  }
  if (!output.empty() && output != "wide")
    return kubectl_fail(inv, "unable to match a printer suitable for the output format \"" + output +
                                 "\", allowed formats are: json,name,wide,yaml");
  const bool wide = output == "wide";
  std::vector<std::vector<std::string>> rows;
  if (!flags.has("no-headers")) {
    rows.push_back({"NAME", "STATUS", "ROLES", "AGE", "VERSION"});
    if (wide)
      rows.back().insert(rows.back().end(),
                         {"INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"});
  }
  for (const auto &[n, i] : selected) {
    rows.push_back({n->name, status_of(*n), n->is_control_plane() ? "control-plane" : "<none>",
                    human_duration(seconds_since(n->created_at)), n->kubelet_version});
    if (wide) rows.back().insert(rows.back().end(), {n->address, "<none>", n->os_image, n->kernel_version,
                                                     kContainerRuntime});
  }
  print_table(inv.out, rows);
  return 0;
}

int get_pods(Invocation &inv, const ParsedFlags &flags) {
  const ClusterState state = detail::read_cluster(inv.sandbox_dir);
  const bool all = flags.has("all-namespaces");
  const std::string ns = flags.get("namespace", "default");
  std::string on_node;
  if (const std::string selector = flags.get("field-selector"); !selector.empty()) {
    const std::string prefix = "spec.nodeName=";
    if (selector.rfind(prefix, 0) != 0)
      return kubectl_fail(inv, "the kuphost sandbox only supports --field-selector spec.nodeName=NODE");
    on_node = selector.substr(prefix.size());
  }
  std::vector<std::pair<const Pod *, const ClusterNode *>> pods;
  for (const auto &n : state.nodes)
    for (const auto &p : n.pods)
      if ((all || p.ns == ns) && (on_node.empty() || n.name == on_node)) pods.emplace_back(&p, &n);

  const std::string output = flags.get("output");
  if (output == "json" || output == "yaml") {
    Json items = Json::array();
    for (const auto &[p, n] : pods) items.push(pod_json(*p, *n));
    print_structured(inv, list_json(std::move(items)), output);
    return 0;
  }
  if (output == "name") {
    for (const auto &[p, n] : pods) inv.out << "pod/" << p->name << "\n";
    return 0;
  }
  if (pods.empty()) {
    inv.err << (all ? std::string("No resources found\n") : "No resources found in " + ns + " namespace.\n");
    return 0;
  }
  const bool wide = output == "wide";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"NAME", "READY", "STATUS", "RESTARTS", "AGE"};
  if (all) header.insert(header.begin(), "NAMESPACE");
  if (wide) header.insert(header.end(), {"IP", "NODE", "NOMINATED NODE", "READINESS GATES"});
  if (!flags.has("no-headers")) rows.push_back(header);
  for (const auto &[p, n] : pods) {
    std::vector<std::string> row{p->name, "1/1", "Running", "0", human_duration(seconds_since(n->created_at))};
    if (all) row.insert(row.begin(), p->ns);
    if (wide) row.insert(row.end(), {p->owner_kind == "ReplicaSet" ? "10.244.0.2" : n->address, n->name, "<none>",
                                     "<none>"});
    rows.push_back(std::move(row));
  }
  print_table(inv.out, rows);
  return 0;
}

}  // namespace

int kubectl_get(Invocation &inv, const ParsedFlags &flags) {
  if (flags.positionals.empty())
    return kubectl_fail(inv, "You must specify the type of resource to get. Use \"kubectl api-resources\" for a "
                             "complete list of supported resources.");
  std::string resource = flags.positionals[0];
  std::vector<std::string> names(flags.positionals.begin() + 1, flags.positionals.end());
  if (const auto slash = resource.find('/'); slash != std::string::npos) {  // node/cp1
    names.insert(names.begin(), resource.substr(slash + 1));
    resource = resource.substr(0, slash);
  }
  if (resource == "nodes" || resource == "node" || resource == "no") return get_nodes(inv, flags, names);
  if (resource == "pods" || resource == "pod" || resource == "po") return get_pods(inv, flags);
  inv.err << "error: the server doesn't have a resource type \"" << resource << "\"\n";
  return 1;
}

}  // namespace kuphost::sandbox::sim
