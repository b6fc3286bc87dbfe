// kuphost-apiserver's object store with the REAL kubectl: server-side apply
// of a multi-document file (CRDs, RBAC, workloads), idempotent re-applies,
// get/list/create/delete, kinds discoverable only once their CRD is stored,
// synthetic kube-proxy next to stored DaemonSets; and the nodes' curl.
#include "calico_test_support.h"

#include "cluster_state.h"

namespace kuphost::sandbox::testing {
namespace {

const char *kObjects = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: installations.operator.tigera.io
spec:
  group: operator.tigera.io
  names: {kind: Installation, listKind: InstallationList, plural: installations, singular: installation}
  scope: Cluster
  versions:
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
---
apiVersion: v1
kind: Namespace
metadata: {name: tigera-operator}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: tigera-operator, namespace: tigera-operator}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: tigera-operator, labels: {app: calico}}
data: {mtu: "1450", enabled: "true", mode: vxlan}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: tigera-operator}
rules: [{apiGroups: [""], resources: ["*"], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: tigera-operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: tigera-operator}
subjects: [{kind: ServiceAccount, name: tigera-operator, namespace: tigera-operator}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tigera-operator, namespace: tigera-operator}
spec:
  replicas: 2
  selector: {matchLabels: {name: tigera-operator}}
  template:
    metadata: {labels: {name: tigera-operator}}
    spec: {containers: [{name: tigera-operator, image: "quay.io/tigera/operator:v1.36.2"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: calico-node, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: calico-node}}
  template:
    metadata: {labels: {k8s-app: calico-node}}
    spec: {containers: [{name: calico-node, image: "docker.io/calico/node:v3.29.1"}]}
)";

const char *kInstallation = R"(apiVersion: operator.tigera.io/v1
kind: Installation
metadata: {name: default}
spec: {variant: Calico, calicoNetwork: {ipPools: [{cidr: 192.168.0.0/16, blockSize: 26}]}}
)";

class CalicoObjectsTest : public CalicoSandboxTest {
 protected:
  void SetUp() override { start("cp1:first-control-plane,w1:worker,w2:worker"); }
};

TEST_F(CalicoObjectsTest, ServerSideApplyStoresEveryKindAndIsIdempotent) {
  write_text(dir_.path() / "objects.yaml", kObjects);
  const RunResult first = apply(dir_.path() / "objects.yaml");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  for (const char *line : {"customresourcedefinition.apiextensions.k8s.io/installations.operator.tigera.io serverside-applied",
                           "namespace/tigera-operator serverside-applied", "configmap/settings serverside-applied",
                           "clusterrolebinding.rbac.authorization.k8s.io/tigera-operator serverside-applied",
                           "deployment.apps/tigera-operator serverside-applied", "daemonset.apps/calico-node serverside-applied"})
    EXPECT_TRUE(has(first.out, line)) << first.out;
  // Types survive the store: quoted numbers and booleans stay strings.
  EXPECT_EQ(jsonpath({"configmap", "settings", "-n", "tigera-operator"}, "{.data.mtu}/{.data.enabled}/{.data.mode}"),
            "1450/true/vxlan");
  EXPECT_EQ(jsonpath({"clusterrolebinding", "tigera-operator"}, "{.subjects[0].namespace}"), "tigera-operator");
  EXPECT_EQ(jsonpath({"sa", "-n", "tigera-operator"}, "{.items[*].metadata.name}"), "tigera-operator");
  EXPECT_EQ(jsonpath({"cm", "-A", "-l", "app=calico"}, "{.items[*].metadata.name}"), "settings");
  EXPECT_EQ(jsonpath({"cm", "-A", "-l", "app=other"}, "{.items[*].metadata.name}"), "");
  // Stored and synthetic DaemonSets side by side.
  EXPECT_EQ(jsonpath({"ds", "-n", "kube-system"}, "{.items[*].metadata.name}"), "calico-node kube-proxy");
  const std::string uid = jsonpath({"deploy", "tigera-operator", "-n", "tigera-operator"}, "{.metadata.uid}");
  const std::string before = read_text(sb_.dir / "cluster/objects.yaml");

  const RunResult again = apply(dir_.path() / "objects.yaml");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_text(sb_.dir / "cluster/objects.yaml"), before) << "a re-apply changed nothing";
  EXPECT_EQ(jsonpath({"deploy", "tigera-operator", "-n", "tigera-operator"}, "{.metadata.uid} {.metadata.generation}"),
            uid + " 1");
  // cluster.yaml stays lean: the applied objects live in objects.yaml.
  EXPECT_FALSE(has(read_text(sb_.dir / "cluster/cluster.yaml"), "tigera-operator"));
}

TEST_F(CalicoObjectsTest, ChangedSpecBumpsGenerationAndForceReplacesContent) {
  write_text(dir_.path() / "objects.yaml", kObjects);
  ASSERT_EQ(apply(dir_.path() / "objects.yaml").exit_code, 0);
  std::string changed = kObjects;
  changed.replace(changed.find("replicas: 2"), 11, "replicas: 3");
  const std::string data = "{mtu: \"1450\", enabled: \"true\", mode: vxlan}";
  changed.replace(changed.find(data), data.size(), "{mtu: \"1500\"}");
  write_text(dir_.path() / "changed.yaml", changed);
  const RunResult r = apply(dir_.path() / "changed.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(jsonpath({"deploy", "tigera-operator", "-n", "tigera-operator"}, "{.metadata.generation} {.spec.replicas}"),
            "2 3");
  // Apply with force: the applied fields are the content.
  EXPECT_EQ(jsonpath({"cm", "settings", "-n", "tigera-operator"}, "{.data}"), "{\"mtu\":\"1500\"}");
}

TEST_F(CalicoObjectsTest, CustomKindsExistOnlyOnceTheirCrdIsStored) {
  const RunResult unknown = kubectl({"get", "installation", "default"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_TRUE(has(unknown.err, "the server doesn't have a resource type \"installation\"")) << unknown.err;
  write_text(dir_.path() / "installation.yaml", kInstallation);
  const RunResult early = apply(dir_.path() / "installation.yaml");
  EXPECT_NE(early.exit_code, 0);
  EXPECT_TRUE(has(early.err, "no matches for kind \"Installation\" in version \"operator.tigera.io/v1\"")) << early.err;

  write_text(dir_.path() / "objects.yaml", kObjects);
  ASSERT_EQ(apply(dir_.path() / "objects.yaml").exit_code, 0);
  const RunResult applied = apply(dir_.path() / "installation.yaml");
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_TRUE(has(applied.out, "installation.operator.tigera.io/default serverside-applied")) << applied.out;
  EXPECT_EQ(jsonpath({"installation", "default"}, "{.spec.variant} {.spec.calicoNetwork.ipPools[0].blockSize}"), "Calico 26");
  const RunResult resources = kubectl({"api-resources", "--api-group=operator.tigera.io", "--no-headers"});
  EXPECT_TRUE(has(resources.out, "installations")) << resources.out << resources.err;

  // Deleting the CRD takes the kind and its objects away (kubectl's cached
  // discovery still maps the kind: the server answers 404).
  ASSERT_EQ(kubectl({"delete", "crd", "installations.operator.tigera.io"}).exit_code, 0);
  const RunResult gone = kubectl({"get", "installation", "default"});
  EXPECT_NE(gone.exit_code, 0);
  EXPECT_TRUE(has(gone.err, "NotFound") || has(gone.err, "doesn't have a resource type")) << gone.err;
  EXPECT_FALSE(has(read_text(sb_.dir / "cluster/objects.yaml"), "kind: Installation\n"));
}

TEST_F(CalicoObjectsTest, CreateConflictsDeleteAndMissingNamespace) {
  ASSERT_EQ(kubectl({"create", "namespace", "calico-system"}).exit_code, 0);
  EXPECT_EQ(kubectl({"create", "configmap", "c", "-n", "calico-system", "--from-literal=a=b"}).exit_code, 0);
  const RunResult twice = kubectl({"create", "configmap", "c", "-n", "calico-system", "--from-literal=a=b"});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_TRUE(has(twice.err, "configmaps \"c\" already exists")) << twice.err;
  const RunResult nowhere = kubectl({"create", "configmap", "c", "-n", "nowhere", "--from-literal=a=b"});
  EXPECT_TRUE(has(nowhere.err, "namespaces \"nowhere\" not found")) << nowhere.err;
  EXPECT_EQ(kubectl({"patch", "configmap", "c", "-n", "calico-system", "--type=merge", "-p", "{\"data\":{\"x\":\"y\"}}"}).exit_code, 0);
  EXPECT_EQ(jsonpath({"cm", "c", "-n", "calico-system"}, "{.data.a}{.data.x}"), "by");
  EXPECT_EQ(kubectl({"delete", "configmap", "c", "-n", "calico-system"}).exit_code, 0);
  EXPECT_TRUE(has(kubectl({"get", "configmap", "c", "-n", "calico-system"}).err, "configmaps \"c\" not found"));
  EXPECT_EQ(jsonpath({"ns"}, "{.items[*].metadata.name}"),
            "calico-system default kube-node-lease kube-public kube-system");
}

TEST_F(CalicoObjectsTest, NodesCurlOnlyReachesTheLoopback) {
  const Node &w1 = *sb_.find("w1");
  const RunResult far = run_on(w1, "curl", {"-fsSL", "--max-time", "5", "-o", "/tmp/x", "https://github.com/projectcalico/calico"});
  EXPECT_EQ(far.exit_code, 6);
  EXPECT_TRUE(has(far.err, "Could not resolve host: github.com")) << far.err;
  // The sandbox's own HTTPS server is on the loopback; -o is a node path.
  const ApiServerStatus status = apiserver_status(sb_.dir);
  const RunResult near = run_on(w1, "curl", {"-fsSk", "--max-time", "10", "--create-dirs", "-o", "/tmp/healthz",
                                             "https://127.0.0.1:" + std::to_string(status.port) + "/healthz"});
  ASSERT_EQ(near.exit_code, 0) << near.err;
  EXPECT_EQ(read_text(w1.root / "tmp/healthz"), "ok");
}

}  // namespace
}  // namespace kuphost::sandbox::testing
