#!/bin/sh
# Installs what kuphost needs to build and test on Debian 12 (bookworm), from
# Debian's archive only. Idempotent: does nothing when everything is present.
set -eu

# apt-utils (apt-ftparchive), gnupg, rpm, createrepo-c and dnf: the real package
# managers and repository tools the package plugins are tested against.
# etcd-server and etcd-client (3.4.23): the real etcd the etcd-backup snapshot
# tests start on free loopback ports (tests/etcd). The package enables
# etcd.service; on a machine where services start on install, it listens on
# 2379/2380, which the tests never use.
PACKAGES="
  build-essential cmake ninja-build pkg-config binutils
  clang libclang-rt-14-dev
  libboost-dev libboost-program-options-dev
  libyaml-cpp-dev libarchive-dev libssl-dev libspdlog-dev
  libgtest-dev libgmock-dev
  openssl time
  apt-utils gnupg rpm createrepo-c dnf
  etcd-server etcd-client
"

# The sandbox's nodes run a real kubectl (sdk/sandbox/README.md). Only when
# neither the Cloud SDK's versioned kubectls nor a kubectl on PATH exist:
# Debian's kubernetes-client, unpacked (not installed, so it cannot clash with
# another kubectl) into /opt/kuphost/kubernetes-client.
install_kubectl() {
  ls /usr/lib/google-cloud-sdk/bin/kubectl.1.* >/dev/null 2>&1 && return 0
  command -v kubectl >/dev/null 2>&1 && return 0
  [ -x /opt/kuphost/kubernetes-client/usr/bin/kubectl ] && return 0
  echo "install-deps: unpacking Debian's kubernetes-client into /opt/kuphost/kubernetes-client"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  tmp=$(mktemp -d)
  (cd "$tmp" && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get download -qq kubernetes-client)
  $SUDO mkdir -p /opt/kuphost/kubernetes-client
  $SUDO dpkg-deb -x "$tmp"/kubernetes-client_*.deb /opt/kuphost/kubernetes-client
  rm -rf "$tmp"
}

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="$missing $p"
done
if [ -z "$missing" ]; then
  install_kubectl
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing:$missing)" >&2; exit 1; }
else
  SUDO=
fi
echo "install-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
install_kubectl
