#include "manifests.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "distro.h"
#include "yaml_io.h"

namespace kuphost::sandbox::detail {
namespace {

// kubeadm v1.30's manifests without their volumes (added per distro below),
// keys in the order kubeadm's marshaller writes them. ${NAME} placeholders
// only ever receive validated names, addresses and versions.
constexpr const char *kApiServer = R"(apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: ${ADDRESS}:6443
  creationTimestamp: null
  labels:
    component: kube-apiserver
    tier: control-plane
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --advertise-address=${ADDRESS}
    - --allow-privileged=true
    - --authorization-mode=Node,RBAC
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --enable-admission-plugins=NodeRestriction
    - --enable-bootstrap-token-auth=true
    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    - --etcd-servers=${ETCD_SERVERS}
    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
    - --proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt
    - --proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key
    - --requestheader-allowed-names=front-proxy-client
    - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
    - --requestheader-extra-headers-prefix=X-Remote-Extra-
    - --requestheader-group-headers=X-Remote-Group
    - --requestheader-username-headers=X-Remote-User
    - --secure-port=6443
    - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=10.96.0.0/12
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    image: registry.k8s.io/kube-apiserver:${VERSION}
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: ${ADDRESS}
        path: /livez
        port: 6443
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: kube-apiserver
    readinessProbe:
      failureThreshold: 3
      httpGet:
        host: ${ADDRESS}
        path: /readyz
        port: 6443
        scheme: HTTPS
      periodSeconds: 1
      timeoutSeconds: 15
    resources:
      requests:
        cpu: 250m
    startupProbe:
      failureThreshold: 24
      httpGet:
        host: ${ADDRESS}
        path: /livez
        port: 6443
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
status: {}
)";

constexpr const char *kControllerManager = R"(apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    component: kube-controller-manager
    tier: control-plane
  name: kube-controller-manager
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-controller-manager
    - --allocate-node-cidrs=true
    - --authentication-kubeconfig=/etc/kubernetes/controller-manager.conf
    - --authorization-kubeconfig=/etc/kubernetes/controller-manager.conf
    - --bind-address=127.0.0.1
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --cluster-cidr=10.244.0.0/16
    - --cluster-name=kubernetes
    - --cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt
    - --cluster-signing-key-file=/etc/kubernetes/pki/ca.key
    - --controllers=*,bootstrapsigner,tokencleaner
    - --kubeconfig=/etc/kubernetes/controller-manager.conf
    - --leader-elect=true
    - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
    - --root-ca-file=/etc/kubernetes/pki/ca.crt
    - --service-account-private-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=10.96.0.0/12
    - --use-service-account-credentials=true
    image: registry.k8s.io/kube-controller-manager:${VERSION}
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 127.0.0.1
        path: /healthz
        port: 10257
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: kube-controller-manager
    resources:
      requests:
        cpu: 200m
    startupProbe:
      failureThreshold: 24
      httpGet:
        host: 127.0.0.1
        path: /healthz
        port: 10257
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
status: {}
)";

constexpr const char *kScheduler = R"(apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    component: kube-scheduler
    tier: control-plane
  name: kube-scheduler
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-scheduler
    - --authentication-kubeconfig=/etc/kubernetes/scheduler.conf
    - --authorization-kubeconfig=/etc/kubernetes/scheduler.conf
    - --bind-address=127.0.0.1
    - --kubeconfig=/etc/kubernetes/scheduler.conf
    - --leader-elect=true
    image: registry.k8s.io/kube-scheduler:${VERSION}
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 127.0.0.1
        path: /healthz
        port: 10259
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: kube-scheduler
    resources:
      requests:
        cpu: 100m
    startupProbe:
      failureThreshold: 24
      httpGet:
        host: 127.0.0.1
        path: /healthz
        port: 10259
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
status: {}
)";

constexpr const char *kEtcd = R"(apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://${ADDRESS}:2379
  creationTimestamp: null
  labels:
    component: etcd
    tier: control-plane
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command:
    - etcd
    - --advertise-client-urls=https://${ADDRESS}:2379
    - --cert-file=/etc/kubernetes/pki/etcd/server.crt
    - --client-cert-auth=true
    - --data-dir=/var/lib/etcd
    - --experimental-initial-corrupt-check=true
    - --experimental-watch-progress-notify-interval=5s
    - --initial-advertise-peer-urls=https://${ADDRESS}:2380
    - --initial-cluster=${INITIAL_CLUSTER}
    - --key-file=/etc/kubernetes/pki/etcd/server.key
    - --listen-client-urls=https://127.0.0.1:2379,https://${ADDRESS}:2379
    - --listen-metrics-urls=http://127.0.0.1:2381
    - --listen-peer-urls=https://${ADDRESS}:2380
    - --name=${NODE}
    - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
    - --peer-client-cert-auth=true
    - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
    - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    - --snapshot-count=10000
    - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
    image: registry.k8s.io/etcd:${ETCD_TAG}
    imagePullPolicy: IfNotPresent
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 127.0.0.1
        path: /health?exclude=NOSPACE&serializable=true
        port: 2381
        scheme: HTTP
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    name: etcd
    resources:
      requests:
        cpu: 100m
        memory: 100Mi
    startupProbe:
      failureThreshold: 24
      httpGet:
        host: 127.0.0.1
        path: /health?serializable=false
        port: 2381
        scheme: HTTP
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
status: {}
)";

struct HostPathVolume {
  std::string name, path, type;
  bool read_only = true;
};

std::string substitute(std::string text, const std::map<std::string, std::string> &values) {
  for (const auto &[key, value] : values) {
    const std::string token = "${" + key + "}";
    for (size_t pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + value.size()))
      text.replace(pos, token.size(), value);
  }
  if (text.find("${") != std::string::npos) throw std::logic_error("manifest template has an unfilled placeholder");
  return text;
}

// The host CA bundles kubeadm mounts depend on the distro's layout.
std::vector<HostPathVolume> ca_volumes(const std::string &distro) {
  const DistroInfo *info = find_distro(distro);
  if (info && std::string_view(info->family) == "rhel")
    return {{"ca-certs", "/etc/ssl/certs", "DirectoryOrCreate"}, {"etc-pki", "/etc/pki", "DirectoryOrCreate"}};
  return {{"ca-certs", "/etc/ssl/certs", "DirectoryOrCreate"},
          {"etc-ca-certificates", "/etc/ca-certificates", "DirectoryOrCreate"},
          {"usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", "DirectoryOrCreate"},
          {"usr-share-ca-certificates", "/usr/share/ca-certificates", "DirectoryOrCreate"}};
}

std::vector<HostPathVolume> volumes_for(std::string_view component, const std::string &distro) {
  std::vector<HostPathVolume> v;
  if (component == "etcd") {
    v = {{"etcd-certs", "/etc/kubernetes/pki/etcd", "DirectoryOrCreate", false},
         {"etcd-data", "/var/lib/etcd", "DirectoryOrCreate", false}};
  } else if (component == "kube-scheduler") {
    v = {{"kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate"}};
  } else {
    v = ca_volumes(distro);
    v.push_back({"k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate"});
    if (component == "kube-controller-manager") {
      v.push_back({"flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", "DirectoryOrCreate", false});
      v.push_back({"kubeconfig", "/etc/kubernetes/controller-manager.conf", "FileOrCreate"});
    }
  }
  // kubeadm sorts volumes by name.
  std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
  return v;
}

void add_volumes(YAML::Node pod, const std::vector<HostPathVolume> &volumes) {
  YAML::Node mounts(YAML::NodeType::Sequence), host(YAML::NodeType::Sequence);
  for (const auto &v : volumes) {
    YAML::Node mount;
    mount["mountPath"] = v.path;
    mount["name"] = v.name;
    if (v.read_only) mount["readOnly"] = true;
    mounts.push_back(mount);
    YAML::Node volume;
    volume["hostPath"]["path"] = v.path;
    volume["hostPath"]["type"] = v.type;
    volume["name"] = v.name;
    host.push_back(volume);
  }
  pod["spec"]["containers"][0]["volumeMounts"] = mounts;
  pod["spec"]["volumes"] = host;
}

}  // namespace

std::vector<std::string> control_plane_components(bool stacked_etcd) {
  std::vector<std::string> out;
  if (stacked_etcd) out.emplace_back("etcd");
  out.insert(out.end(), {"kube-apiserver", "kube-controller-manager", "kube-scheduler"});
  return out;
}

std::string render_manifest(std::string_view component, const ControlPlaneParams &params) {
  std::string initial_cluster;
  for (const auto &[name, address] : params.etcd_members)
    initial_cluster += (initial_cluster.empty() ? "" : ",") + name + "=https://" + address + ":2380";
  const std::map<std::string, std::string> values{
      {"ADDRESS", params.address},
      {"NODE", params.node_name},
      {"VERSION", params.version.str()},
      {"ETCD_TAG", params.etcd_image_tag},
      {"ETCD_SERVERS", params.stacked_etcd ? "https://127.0.0.1:2379" : kExternalEtcdEndpoint},
      {"INITIAL_CLUSTER", initial_cluster},
  };
  const char *tmpl = component == "etcd"                      ? kEtcd
                     : component == "kube-apiserver"          ? kApiServer
                     : component == "kube-controller-manager" ? kControllerManager
                     : component == "kube-scheduler"          ? kScheduler
                                                              : nullptr;
  if (!tmpl) throw std::logic_error("unknown control plane component " + std::string(component));
  YAML::Node pod = load_yaml(substitute(tmpl, values), std::string(component) + " manifest template");
  if (component == "etcd" && params.etcd_members.size() > 1) {
    // A member that joined an existing etcd cluster, as `kubeadm join --control-plane` writes it.
    YAML::Node command = pod["spec"]["containers"][0]["command"];
    YAML::Node sorted(YAML::NodeType::Sequence);
    for (const auto &flag : command) {
      const auto text = flag.as<std::string>();
      sorted.push_back(text);
      if (text.rfind("--initial-cluster=", 0) == 0) sorted.push_back("--initial-cluster-state=existing");
    }
    pod["spec"]["containers"][0]["command"] = sorted;
  }
  add_volumes(pod, volumes_for(component, params.distro));
  return emit_yaml(pod);
}

ControlPlaneParams control_plane_params(const SandboxFile &sandbox, const SandboxNode &node,
                                        const KubeVersion &version, const std::string &etcd_image_tag) {
  ControlPlaneParams p;
  p.node_name = node.name;
  p.address = node.address;
  p.distro = node.distro;
  p.stacked_etcd = sandbox.etcd == "stacked";
  p.version = version;
  p.etcd_image_tag = etcd_image_tag;
  if (p.stacked_etcd) {
    // kubeadm join lists the new member first, then those it found.
    p.etcd_members.emplace_back(node.name, node.address);
    // Joins happen after `kubeadm init` on the first control plane, then in
    // the order the other control planes are listed.
    if (node.role != "first-control-plane") {
      for (const auto &n : sandbox.nodes)
        if (n.role == "first-control-plane") p.etcd_members.emplace_back(n.name, n.address);
      for (const auto &n : sandbox.nodes) {
        if (n.name == node.name) break;
        if (n.role == "other-control-plane") p.etcd_members.emplace_back(n.name, n.address);
      }
    }
  }
  return p;
}

std::string manifest_image_tag(const std::string &manifest_text) {
  try {
    const YAML::Node pod = YAML::Load(manifest_text);
    const auto image = pod["spec"]["containers"][0]["image"].as<std::string>("");
    const auto colon = image.rfind(':');
    return colon == std::string::npos ? std::string() : image.substr(colon + 1);
  } catch (const YAML::Exception &) {
    return {};
  }
}

}  // namespace kuphost::sandbox::detail
