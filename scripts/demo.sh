#!/bin/sh
# README command 1: install dependencies, build, create a sandbox cluster and
# run `kuphost plan` and `kuphost apply --dry-run` on its first control plane.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKUPHOST_BUILD_TESTS=OFF

sandbox=${KUPHOST_DEMO_DIR:-$(mktemp -d /tmp/kuphost-demo-XXXXXX)/cluster}
rm -rf "$sandbox"
kuphost=build/bin/kuphost
$kuphost sandbox create "$sandbox" --kubernetes-version v1.30.5 --distro ubuntu-24.04 \
  --nodes cp1:first-control-plane,w1:worker --etcd stacked
echo
$kuphost --sandbox "$sandbox" --node cp1 plan v1.31.2
echo
$kuphost --sandbox "$sandbox" --node cp1 apply --dry-run v1.31.2
echo
echo "demo: the sandbox is in $sandbox; try: $kuphost --sandbox $sandbox --node w1 plan v1.31.2"
