// kubectl get: resolves the resource type, reads the objects from
// cluster.yaml (a missing one is NotFound before any printer runs, as in
// kubectl), then prints kubectl's table (and -o wide) or hands them to the
// generic printers (-o json|yaml|name|jsonpath=...).
#include <algorithm>
#include <ostream>
#include <string_view>

#include "json_writer.h"
#include "kubectl.h"
#include "kubectl_objects.h"
#include "kubectl_printers.h"
#include "kubectl_resources.h"

namespace kuphost::sandbox::sim {
namespace {

using detail::ClusterNode;
using detail::ClusterState;
using detail::Pod;

std::string status_of(const ClusterNode &n) {
  std::string s = n.ready ? "Ready" : "NotReady";
  if (n.unschedulable) s += ",SchedulingDisabled";
  return s;
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

  if (!prints_table(flags)) {
    if (names.size() == 1) return print_generic(inv, flags, node_json(*selected[0].first, selected[0].second));
    Json items = Json::array();
    for (const auto &[n, i] : selected) items.push(node_json(*n, i));
    return print_generic(inv, flags, list_json(std::move(items)));
  }
  const bool wide = flags.get("output") == "wide";
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

int get_pods(Invocation &inv, const ParsedFlags &flags, const std::vector<std::string> &names) {
  const ClusterState state = detail::read_cluster(inv.sandbox_dir);
  const bool all = flags.has("all-namespaces");
  const std::string ns = flags.get("namespace", "default");
  if (all && !names.empty()) return kubectl_fail(inv, "a resource cannot be retrieved by name across all namespaces");
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
  if (!names.empty()) {  // in the order asked for
    std::vector<std::pair<const Pod *, const ClusterNode *>> named;
    for (const auto &name : names) {
      const auto it = std::find_if(pods.begin(), pods.end(), [&](const auto &pod) { return pod.first->name == name; });
      if (it == pods.end()) {
        inv.err << "Error from server (NotFound): pods \"" << name << "\" not found\n";
        return 1;
      }
      named.push_back(*it);
    }
    pods = std::move(named);
  }

  if (!prints_table(flags)) {
    if (names.size() == 1) return print_generic(inv, flags, pod_json(*pods[0].first, *pods[0].second));
    Json items = Json::array();
    for (const auto &[p, n] : pods) items.push(pod_json(*p, *n));
    return print_generic(inv, flags, list_json(std::move(items)));
  }
  if (pods.empty()) {
    inv.err << (all ? std::string("No resources found\n") : "No resources found in " + ns + " namespace.\n");
    return 0;
  }
  const bool wide = flags.get("output") == "wide";
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


// "namespace/name" of the workloads the sandbox's pods imply: kube-proxy's
// DaemonSet, CoreDNS's ReplicaSet and the Deployment that owns it.
std::vector<std::string> implied_workloads(const ClusterState &state, std::string_view plural) {
  std::vector<std::string> out;
  auto add = [&](const Pod &pod) {
    std::string name;
    if (plural == "daemonsets" && pod.owner_kind == "DaemonSet") name = pod.owner_name;
    if (plural == "replicasets" && pod.owner_kind == "ReplicaSet") name = pod.owner_name;
    if (plural == "deployments" && pod.owner_kind == "ReplicaSet")  // coredns-7db6d8ff4d -> coredns
      name = pod.owner_name.substr(0, pod.owner_name.rfind('-'));
    if (!name.empty()) out.push_back(pod.ns + "/" + name);
  };
  for (const auto &node : state.nodes)
    for (const auto &pod : node.pods) add(pod);
  for (const auto &pod : state.pending_pods) add(pod);
  return out;
}

// Types the sandbox does not model. Where it knows all their objects, another
// name is NotFound as on a real cluster; anything else would be a guess, so
// it says so.
int get_unmodelled(Invocation &inv, const ParsedFlags &flags, const ResourceType &type,
                   const std::vector<std::string> &names) {
  const std::string unsimulated = "the kuphost sandbox's kubectl does not simulate get " + type.qualified_name() +
                                  " (it simulates nodes and pods)";
  if (names.empty() || !type.all_objects_known) return kubectl_fail(inv, unsimulated);
  const std::string ns = flags.get("namespace", "default");
  const auto implied = implied_workloads(detail::read_cluster(inv.sandbox_dir), type.plural);
  for (const auto &name : names)
    if (std::find(implied.begin(), implied.end(), ns + "/" + name) != implied.end())
      return kubectl_fail(inv, unsimulated);
  for (const auto &name : names)
    inv.err << "Error from server (NotFound): " << type.qualified_name() << " \"" << name << "\" not found\n";
  return 1;
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
  const ResourceType *type = find_resource_type(resource);
  if (!type)
    return kubectl_fail(inv, "the server doesn't have a resource type \"" + requested_resource_name(resource) + "\"");
  if (type->plural == "nodes") return get_nodes(inv, flags, names);
  if (type->plural == "pods") return get_pods(inv, flags, names);
  return get_unmodelled(inv, flags, *type, names);
}

}  // namespace kuphost::sandbox::sim
