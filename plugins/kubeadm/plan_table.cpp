#include "plan_table.h"

#include <yaml-cpp/yaml.h>

namespace kuphost_plugins::kubeadm {
namespace {

struct AddonVersions {
  int minor;
  const char *etcd, *coredns;
};
// The same table the sandbox's kubeadm uses (sdk/sandbox/src/version.cpp).
constexpr AddonVersions kAddons[] = {
    {28, "3.5.15-0", "v1.10.1"}, {29, "3.5.15-0", "v1.11.1"}, {30, "3.5.15-0", "v1.11.1"},
    {31, "3.5.15-0", "v1.11.3"}, {32, "3.5.16-0", "v1.11.3"}, {33, "3.5.21-0", "v1.12.0"},
    {34, "3.6.4-0", "v1.12.1"},
};

const AddonVersions *addons_for(const KubeVersion &v) {
  for (const auto &a : kAddons)
    if (a.minor == v.minor && v.major == 1) return &a;
  return nullptr;
}

const PodInfo *find_pod(const std::vector<PodInfo> &pods, const std::string &name) {
  for (const auto &p : pods)
    if (p.name == name) return &p;
  return nullptr;
}

const PodInfo *first_pod_with_prefix(const std::vector<PodInfo> &pods, const std::string &prefix) {
  for (const auto &p : pods)
    if (p.name.rfind(prefix, 0) == 0) return &p;
  return nullptr;
}

std::string or_unknown(const std::string &s) { return s.empty() ? "unknown" : s; }

void row(YAML::Emitter &out, const std::string &component, const std::string &node, const std::string &current,
         const std::string &target) {
  out << YAML::BeginMap << YAML::Key << "component" << YAML::Value << component << YAML::Key << "node"
      << YAML::Value << node << YAML::Key << "current" << YAML::Value << or_unknown(current) << YAML::Key
      << "target" << YAML::Value << target << YAML::EndMap;
}

}  // namespace

std::string kubeadm_coredns_for(const KubeVersion &target) {
  const auto *a = addons_for(target);
  return a ? a->coredns : "";
}

std::string kubeadm_etcd_for(const KubeVersion &target) {
  const auto *a = addons_for(target);
  return a ? a->etcd : "";
}

std::string plan_table_yaml(const PlanTableInput &in) {
  const std::string target = in.target ? in.target->str() : "";
  const bool from_api = in.nodes.has_value();
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "clusterVersion" << YAML::Value << (in.cluster ? in.cluster->str() : "unknown");
  out << YAML::Key << "clusterVersionSource" << YAML::Value << in.cluster_source;
  out << YAML::Key << "kubeadmVersion" << YAML::Value << (in.kubeadm ? in.kubeadm->str() : "unknown");
  out << YAML::Key << "target" << YAML::Value;
  if (in.target) out << target;
  else out << YAML::Null;
  out << YAML::Key << "source" << YAML::Value
      << (from_api ? "API server" : "this node only (the API server could not be read)");

  out << YAML::Key << "components" << YAML::Value << YAML::BeginSeq;
  if (in.target) {
    const std::string coredns_target = kubeadm_coredns_for(*in.target);
    const std::string etcd_target = kubeadm_etcd_for(*in.target);
    std::vector<std::string> control_planes;
    if (from_api) {
      for (const auto &n : *in.nodes)
        if (n.control_plane) control_planes.push_back(n.name);
    } else if (in.control_plane) {
      control_planes.push_back(in.node);
    }
    const std::vector<PodInfo> no_pods;
    const auto &pods = in.pods ? *in.pods : no_pods;
    for (const auto &node : control_planes) {
      for (const char *component : {"kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
        std::string current;
        if (const auto *p = find_pod(pods, std::string(component) + "-" + node)) current = image_tag(p->image);
        if (current.empty() && node == in.node && in.this_control_plane) current = in.this_control_plane->str();
        row(out, component, node, current, target);
      }
    }
    if (const auto *p = first_pod_with_prefix(pods, "kube-proxy-")) row(out, "kube-proxy", "", image_tag(p->image), target);
    else if (in.pods) row(out, "kube-proxy", "", "", target);
    if (const auto *p = first_pod_with_prefix(pods, "coredns-"))
      row(out, "CoreDNS", "", image_tag(p->image), coredns_target.empty() ? "kubeadm's default" : coredns_target);
    for (const auto &node : control_planes)
      if (const auto *p = find_pod(pods, "etcd-" + node)) {
        const std::string current = image_tag(p->image);
        row(out, "etcd", node, current,
            !in.etcd_upgrade ? current + " (etcd-upgrade: false)"
            : etcd_target.empty() ? "kubeadm's default"
                                  : etcd_target);
      }
  }
  out << YAML::EndSeq;

  out << YAML::Key << "kubelets" << YAML::Value << YAML::BeginSeq;
  if (in.target) {
    auto kubelet_row = [&](const std::string &node, const std::string &current) {
      const auto v = KubeVersion::parse(current);
      if (v && *v == *in.target) return;  // already upgraded
      out << YAML::BeginMap << YAML::Key << "node" << YAML::Value << node << YAML::Key << "current" << YAML::Value
          << or_unknown(current) << YAML::Key << "target" << YAML::Value << target << YAML::EndMap;
    };
    if (from_api) {
      for (const auto &n : *in.nodes) kubelet_row(n.name, n.kubelet);
    } else {
      kubelet_row(in.node, in.this_kubelet ? in.this_kubelet->str() : "");
    }
  }
  out << YAML::EndSeq;
  out << YAML::EndMap;
  return out.c_str();
}

}  // namespace kuphost_plugins::kubeadm
