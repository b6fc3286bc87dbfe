#!/bin/sh
# Installs what kuphost needs to build and test on Debian 12 (bookworm), from
# Debian's archive only. Idempotent: does nothing when everything is present.
set -eu

PACKAGES="
  build-essential cmake ninja-build pkg-config binutils
  clang libclang-rt-14-dev
  libboost-dev libboost-program-options-dev
  libyaml-cpp-dev libarchive-dev libssl-dev libspdlog-dev
  libgtest-dev libgmock-dev
  openssl time
"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

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
