// The trimmed Calico release manifests, generated per version.
#include <cstdio>
#include <regex>

#include "kuphost/sandbox/calico.h"
#include "kuphost/sandbox/sandbox.h"

namespace kuphost::sandbox {
namespace {

int minor_of(const std::string &version) {
  int major = 0, minor = 0;
  std::sscanf(version.c_str(), "v%d.%d", &major, &minor);
  return minor;
}

std::string crd(const std::string &group, const std::string &kind, const std::string &plural, const std::string &scope) {
  std::string singular;
  for (char c : kind) singular += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: " + plural + "." +
         group + "\nspec:\n  group: " + group + "\n  names:\n    kind: " + kind + "\n    listKind: " + kind +
         "List\n    plural: " + plural + "\n    singular: " + singular + "\n  scope: " + scope +
         "\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n"
         "        type: object\n        x-kubernetes-preserve-unknown-fields: true\n    subresources:\n      status: {}\n";
}

std::string operator_crds(int minor) {
  std::string out = crd("operator.tigera.io", "APIServer", "apiservers", "Cluster") +
                    crd("operator.tigera.io", "Installation", "installations", "Cluster") +
                    crd("operator.tigera.io", "TigeraStatus", "tigerastatuses", "Cluster");
  if (minor >= 30)
    out += crd("operator.tigera.io", "Goldmane", "goldmanes", "Cluster") +
           crd("operator.tigera.io", "Whisker", "whiskers", "Cluster");
  return out;
}

std::string calico_crds() {
  return crd("crd.projectcalico.org", "BGPConfiguration", "bgpconfigurations", "Cluster") +
         crd("crd.projectcalico.org", "FelixConfiguration", "felixconfigurations", "Cluster") +
         crd("crd.projectcalico.org", "IPPool", "ippools", "Cluster") +
         crd("crd.projectcalico.org", "NetworkPolicy", "networkpolicies", "Namespaced");
}

std::string operator_manifest(const std::string &version, int minor) {
  // Before 3.30 tigera-operator.yaml carries the CRDs itself.
  std::string out = minor < 30 ? operator_crds(minor) + calico_crds() : "";
  int patch = 0;
  std::sscanf(version.c_str(), "v%*d.%*d.%d", &patch);
  const std::string operator_version = "v1." + std::to_string(minor + 7) + "." + std::to_string(patch);
  out += "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: tigera-operator\n  labels:\n    name: tigera-operator\n"
         "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: tigera-operator\n  namespace: tigera-operator\n"
         "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: tigera-operator\nrules:\n"
         "- apiGroups: [\"\", apps, operator.tigera.io, crd.projectcalico.org]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n"
         "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: tigera-operator\n"
         "subjects:\n- kind: ServiceAccount\n  name: tigera-operator\n  namespace: tigera-operator\nroleRef:\n"
         "  kind: ClusterRole\n  name: tigera-operator\n  apiGroup: rbac.authorization.k8s.io\n"
         "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tigera-operator\n  namespace: tigera-operator\n"
         "  labels:\n    k8s-app: tigera-operator\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      name: tigera-operator\n"
         "  template:\n    metadata:\n      labels:\n        name: tigera-operator\n        k8s-app: tigera-operator\n"
         "      annotations:\n        kuphost-sandbox/calico-version: " + version + "\n    spec:\n"
         "      serviceAccountName: tigera-operator\n      hostNetwork: true\n      containers:\n"
         "      - name: tigera-operator\n        image: quay.io/tigera/operator:" + operator_version + "\n"
         "        env:\n        - name: TIGERA_OPERATOR_INIT_IMAGE_VERSION\n          value: " + operator_version + "\n";
  return out;
}

std::string custom_resources(int minor) {
  std::string out =
      "---\napiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n  calicoNetwork:\n"
      "    ipPools:\n    - name: default-ipv4-ippool\n      blockSize: 26\n      cidr: 192.168.0.0/16\n"
      "      encapsulation: VXLANCrossSubnet\n      natOutgoing: Enabled\n      nodeSelector: all()\n"
      "---\napiVersion: operator.tigera.io/v1\nkind: APIServer\nmetadata:\n  name: default\nspec: {}\n";
  if (minor >= 30)
    out += "---\napiVersion: operator.tigera.io/v1\nkind: Goldmane\nmetadata:\n  name: default\n"
           "---\napiVersion: operator.tigera.io/v1\nkind: Whisker\nmetadata:\n  name: default\n";
  return out;
}

std::string manifest_install(const std::string &version) {
  return "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: calico-config\n  namespace: kube-system\ndata:\n"
         "  typha_service_name: \"none\"\n  calico_backend: \"bird\"\n  veth_mtu: \"0\"\n" +
         calico_crds() +
         "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: calico-node\nrules:\n"
         "- apiGroups: [\"\", crd.projectcalico.org]\n  resources: [\"*\"]\n  verbs: [get, list, watch]\n"
         "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: calico-node\n"
         "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: calico-node\nsubjects:\n"
         "- kind: ServiceAccount\n  name: calico-node\n  namespace: kube-system\n"
         "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: calico-node\n  namespace: kube-system\n"
         "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: calico-kube-controllers\n  namespace: kube-system\n"
         "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: calico-node\n  namespace: kube-system\n"
         "  labels:\n    k8s-app: calico-node\nspec:\n  selector:\n    matchLabels:\n      k8s-app: calico-node\n"
         "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 1\n  template:\n"
         "    metadata:\n      labels:\n        k8s-app: calico-node\n    spec:\n      hostNetwork: true\n"
         "      serviceAccountName: calico-node\n      initContainers:\n      - name: install-cni\n"
         "        image: docker.io/calico/cni:" + version + "\n      containers:\n      - name: calico-node\n"
         "        image: docker.io/calico/node:" + version + "\n"
         "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: calico-kube-controllers\n  namespace: kube-system\n"
         "  labels:\n    k8s-app: calico-kube-controllers\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n"
         "      k8s-app: calico-kube-controllers\n  template:\n    metadata:\n      labels:\n"
         "        k8s-app: calico-kube-controllers\n    spec:\n      serviceAccountName: calico-kube-controllers\n"
         "      containers:\n      - name: calico-kube-controllers\n        image: docker.io/calico/kube-controllers:" +
         version + "\n";
}

}  // namespace

bool valid_calico_version(const std::string &version, std::string *error) {
  static const std::regex shape(R"(v3\.(2[5-9]|[3-9][0-9])\.(0|[1-9][0-9]*))");
  if (std::regex_match(version, shape)) return true;
  if (error) *error = "invalid Calico version '" + version + "': use v3.MINOR.PATCH with MINOR 25 or later, e.g. v3.29.1";
  return false;
}

std::vector<std::pair<std::string, std::string>> calico_manifests(const std::string &version) {
  const int minor = minor_of(version);
  std::vector<std::pair<std::string, std::string>> files{{"calico.yaml", manifest_install(version)},
                                                         {"tigera-operator.yaml", operator_manifest(version, minor)},
                                                         {"custom-resources.yaml", custom_resources(minor)}};
  if (minor >= 32) {
    files.emplace_back("operator-crds.yaml", operator_crds(minor));
    files.emplace_back("v1_crd_projectcalico_org.yaml", calico_crds());
  } else if (minor >= 30) {
    files.emplace_back("operator-crds.yaml", operator_crds(minor) + calico_crds());
  }
  return files;
}

}  // namespace kuphost::sandbox
