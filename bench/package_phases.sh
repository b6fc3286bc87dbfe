#!/bin/sh
# The package phases of `kuphost apply v1.31.2` on a sandbox first control
# plane, with the real package managers (`sandbox create --packages real`:
# apt on debian-12, dnf on rhel-9) and, side by side, with the simulated ones.
# Each run is a fresh sandbox at v1.30.5; a phase's time is the difference of
# consecutive `updated-unix-ms` stamps in the node's journal (the phase plus
# the executor's bookkeeping, well under a millisecond). Prints the median,
# min and max of RUNS runs.
# Usage: bench/package_phases.sh [BUILD_DIR] [RUNS]
set -eu
build=${1:-build}
runs=${2:-5}
kuphost=$build/bin/kuphost
[ -x "$kuphost" ] || { echo "build $build first (target kuphost)" >&2; exit 1; }
work=$(mktemp -d)
trap '"$kuphost" sandbox down "$work/c" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# phase_times JOURNAL: "phase-id milliseconds" per phase.
phase_times() {
  awk '/^started-unix-ms:/ { prev = $2 }
       /^  - id:/ { id = $3 }
       /^    updated-unix-ms:/ { print id, $2 - prev; prev = $2 }' "$1"
}

# one_run DISTRO PACKAGES PLUGIN: appends "phase ms" lines to $work/DISTRO-PACKAGES
one_run() {
  rm -rf "$work/c"
  "$kuphost" sandbox create "$work/c" --distro "$1" --packages "$2" --nodes cp1:first-control-plane \
    --key-type ecdsa-p256 >/dev/null
  "$kuphost" --sandbox "$work/c" --node cp1 --plugins "$3" apply -y v1.31.2 >"$work/apply.log" 2>&1 ||
    { cat "$work/apply.log" >&2; exit 1; }
  phase_times "$work/c/nodes/cp1/root/var/lib/kuphost/journal.yaml" >>"$work/$1-$2"
  "$kuphost" sandbox down "$work/c" >/dev/null 2>&1 || true
}

# stats FILE PHASE: "median min max" in ms
stats() {
  awk -v p="$2" '$1 == p { print $2 }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }'
}

printf '%-10s %-10s %-34s %8s %8s %8s\n' distro packages phase median-ms min-ms max-ms
for distro in debian-12 rhel-9; do
  plugin=apt
  [ "$distro" = rhel-9 ] && plugin=yum
  for packages in simulated real; do
    i=0
    while [ "$i" -lt "$runs" ]; do
      one_run "$distro" "$packages" "$plugin"
      i=$((i + 1))
    done
    for phase in "$plugin/repository" kubeadm/kubeadm-package kubeadm/kubelet-kubectl-packages; do
      set -- $(stats "$work/$distro-$packages" "$phase")
      printf '%-10s %-10s %-34s %8s %8s %8s\n' "$distro" "$packages" "$phase" "$1" "$2" "$3"
    done
  done
done
echo "runs: $runs per row; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
