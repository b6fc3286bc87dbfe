#!/bin/sh
# `kuphost plan` on a sandbox first control plane with all seven plugins,
# next to the floor: a program that only starts and dlopens the same seven
# plugins. Prints the median wall time and peak RSS of RUNS runs of each,
# measured with /usr/bin/time -v.
# Usage: bench/plan_bench.sh [BUILD_DIR] [RUNS]
set -eu
build=${1:-build}
runs=${2:-15}
kuphost=$build/bin/kuphost
floor=$build/bin/kuphost-bench-dlopen-floor
plugins=$build/lib/kuphost/plugins
[ -x "$kuphost" ] && [ -x "$floor" ] || { echo "build $build first (targets kuphost, kuphost-bench-dlopen-floor)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$kuphost" sandbox create "$work/c" --kubernetes-version v1.30.5 --distro ubuntu-24.04 \
  --nodes cp1:first-control-plane,w1:worker --etcd stacked --key-type ecdsa-p256 >/dev/null

# measure NAME CMD...: appends "seconds kbytes" per run to $work/NAME
measure() {
  name=$1
  shift
  i=0
  while [ "$i" -lt "$runs" ]; do
    /usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || true
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (k = 1; k <= n; k++) s = s * 60 + t[k] }
                /Maximum resident set size/ { kb = $2 }
                END { print s, kb }' "$work/time.txt" >>"$work/$name"
    i=$((i + 1))
  done
}
median() { sort -n -k"$2" "$work/$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

log=$work/c/nodes/cp1/root/var/log/kuphost-sandbox/commands.log
before=$( [ -f "$log" ] && wc -l <"$log" || echo 0)
"$kuphost" --sandbox "$work/c" --node cp1 plan v1.31.2 >/dev/null
node_commands=$(( $(wc -l <"$log") - before ))
measure plan "$kuphost" --sandbox "$work/c" --node cp1 plan v1.31.2
measure plugins "$kuphost" plugins
measure floor "$floor" "$plugins"/kubeadm.so "$plugins"/apt.so "$plugins"/yum.so "$plugins"/windows-node.so \
  "$plugins"/etcd-backup.so "$plugins"/cni-calico.so "$plugins"/certs.so

printf '%-44s %12s %14s\n' "program ($runs runs, median)" "wall (s)" "peak RSS (KiB)"
printf '%-44s %12s %14s\n' "kuphost plan v1.31.2 (sandbox cp1, 7 plugins)" "$(median plan 1)" "$(median plan 2)"
printf '%-44s %12s %14s\n' "kuphost plugins (load + list the 7)" "$(median plugins 1)" "$(median plugins 2)"
printf '%-44s %12s %14s\n' "floor: start + dlopen the 7 plugins" "$(median floor 1)" "$(median floor 2)"
echo "plan ran $node_commands simulated node commands (facts and the plugins' read-only checks)"
printf 'wall range plan: %s..%s s, floor: %s..%s s; load average: %s\n' \
  "$(sort -n "$work/plan" | head -1 | cut -d' ' -f1)" "$(sort -n "$work/plan" | tail -1 | cut -d' ' -f1)" \
  "$(sort -n "$work/floor" | head -1 | cut -d' ' -f1)" "$(sort -n "$work/floor" | tail -1 | cut -d' ' -f1)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"

# /usr/bin/time has 10 ms resolution; hyperfine, when installed, resolves the floor.
if command -v hyperfine >/dev/null; then
  echo
  hyperfine -N --warmup 3 --runs "$runs" --style basic --export-json "$work/h.json" \
    -n plan "$kuphost --sandbox $work/c --node cp1 plan v1.31.2" \
    -n plugins "$kuphost plugins" \
    -n floor "$floor $plugins/kubeadm.so $plugins/apt.so $plugins/yum.so $plugins/windows-node.so $plugins/etcd-backup.so $plugins/cni-calico.so $plugins/certs.so" \
    >/dev/null
  tr ',' '\n' <"$work/h.json" | awk -F': ' '/"command"/ { gsub(/"/, "", $2); name = $2 }
    /"median"/ { printf "hyperfine median %-8s %8.2f ms\n", name, $2 * 1000 }'
fi
