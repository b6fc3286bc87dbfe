#!/bin/sh
# The certs issue's figures: the time to scan the full PKI of a sandbox
# first control plane (`kuphost certs check-expiration`: 3 CAs, 7 leaves,
# 4 kubeconfigs, the kubelet's certificate) and to renew all of it
# (`kuphost certs renew all`: 11 new RSA-2048 keys as kubeadm makes them,
# signed, backed up, written 0600 atomically), without the static-pod
# restart, whose time is the kubelet's (20 s fileCheckFrequency) and not
# kuphost's. Beside them, `kuphost plugins` (start + load every plugin) as
# the floor both pay. hyperfine, RUNS runs each (default 5), medians.
# Usage: bench/certs_bench.sh [BUILD_DIR] [RUNS]
set -eu
build=${1:-build}
runs=${2:-5}
kuphost=$(cd "$build" && pwd)/bin/kuphost
[ -x "$kuphost" ] || { echo "build $build first (targets kuphost, certs)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "certs_bench.sh needs hyperfine" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kuphost" sandbox create "$work/c" --kubernetes-version v1.30.5 --distro ubuntu-24.04 \
  --nodes cp1:first-control-plane --etcd stacked --key-type rsa-2048 >/dev/null
mkdir -p "$work/c/nodes/cp1/root/etc/kuphost"
printf 'certs:\n  restart-static-pods: false\n' >"$work/c/nodes/cp1/root/etc/kuphost/kuphost.yaml"
node="--sandbox $work/c --node cp1"
hyperfine --runs "$runs" --warmup 1 --export-json "$work/h.json" --style basic \
  -n "kuphost plugins (floor)" "$kuphost plugins" \
  -n "certs check-expiration (scan)" "$kuphost $node certs check-expiration" \
  -n "certs renew all (no restart)" "$kuphost $node certs renew all" >"$work/h.txt" 2>&1 || { cat "$work/h.txt"; exit 1; }
python3 - "$work/h.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
print("%-34s %10s %10s %10s" % ("command (%d runs)" % len(runs[0]["times"]), "median ms", "min ms", "max ms"))
for r in runs:
    print("%-34s %10.1f %10.1f %10.1f" % (r["command"], r["median"] * 1000, r["min"] * 1000, r["max"] * 1000))
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
