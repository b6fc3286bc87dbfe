#include "kubectl_objects.h"

namespace kuphost::sandbox::sim {

Json node_json(const detail::ClusterNode &n, size_t index) {
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

Json pod_json(const detail::Pod &p, const detail::ClusterNode &n) {
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

}  // namespace kuphost::sandbox::sim
