#!/bin/sh
# README command 1: install dependencies, build, create a five-node sandbox
# cluster (three control planes, two workers) with its simulated API server,
# show `kuphost plan` and `kuphost apply --dry-run` on the first control plane,
# then upgrade the whole cluster node by node in the documented order and
# show `kubectl get nodes` (the real kubectl) at the end.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKUPHOST_BUILD_TESTS=OFF

sandbox=${KUPHOST_DEMO_DIR:-$(mktemp -d /tmp/kuphost-demo-XXXXXX)/cluster}
rm -rf "$sandbox"
kuphost=build/bin/kuphost
nodes="cp1 cp2 cp3 w1 w2"
$kuphost sandbox create "$sandbox" --kubernetes-version v1.30.5 --distro ubuntu-24.04 --etcd stacked \
  --nodes cp1:first-control-plane,cp2:other-control-plane,cp3:other-control-plane,w1:worker,w2:worker
$kuphost sandbox up "$sandbox"
trap '$kuphost sandbox down "$sandbox" >/dev/null 2>&1 || true' EXIT
kubectl_get_nodes() {
  KUBECACHEDIR="$sandbox/.kube-cache" "$(cat "$sandbox/cluster/kubectl-path")" \
    --kubeconfig "$sandbox/kubeconfig" get nodes -o wide
}
echo
kubectl_get_nodes
echo
$kuphost --sandbox "$sandbox" --node cp1 plan v1.31.2
echo
$kuphost --sandbox "$sandbox" --node cp1 apply --dry-run v1.31.2
echo
# The kubeadm workflow and apt only, to keep the demo short; README.md shows
# etcd-backup, certs, cni-calico and a Windows worker on the sandbox.
start=$(date +%s.%N)
for node in $nodes; do
  echo "== $node"
  $kuphost --sandbox "$sandbox" --node "$node" --plugins apt apply -y v1.31.2
done
end=$(date +%s.%N)
echo
kubectl_get_nodes
echo
echo "demo: upgraded $nodes to v1.31.2 in $(awk "BEGIN { printf \"%.1f\", $end - $start }")s; the sandbox is in $sandbox"
