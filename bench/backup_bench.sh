#!/bin/sh
# The etcd-backup issue's speed target: a verified backup (copy + SHA-256 +
# manifest, every file fsynced) of a data directory of SIZE_MIB (default
# 1024) shaped like an etcd member, next to what kubeadm does (cp -a) and to
# tar | zstd -T0 | sha256sum; then kuphost's verify and restore. Prints the
# median wall time of RUNS runs (default 3) and the ratio to cp -a.
# Usage: bench/backup_bench.sh [BUILD_DIR] [RUNS] [SIZE_MIB]
# The data lives under $BENCH_TMPDIR (default $TMPDIR or /tmp); it needs
# about 4x SIZE_MIB free. Page cache: never dropped (that needs root and
# would also evict other work on this machine); the data is read once
# before the first run, so every contender reads from the page cache. Dirty
# pages are flushed with sync(1) before each run, outside the timing, so no
# contender pays for the previous one's writeback.
set -eu
build=${1:-build}
runs=${2:-3}
size_mib=${3:-1024}
bench=$build/bin/kuphost-bench-backup
[ -x "$bench" ] || { echo "build $build first (target kuphost-bench-backup)" >&2; exit 1; }
for tool in zstd sha256sum tar /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "backup_bench.sh needs $tool" >&2; exit 1; }
done
work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kuphost-backup-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# An etcd member: member/snap/db (bbolt, most of the size; its free pages are
# zeros, so a quarter of it is zeros and zstd has some work), four
# preallocated 64 MiB WAL segments (written half, zero tail), snapshots, and
# the small files around them.
data=$work/etcd
mkdir -p "$data/member/snap" "$data/member/wal"
wal_mib=64
wals=4
small_mib=1
db_mib=$((size_mib - wals * wal_mib - small_mib))
[ "$db_mib" -gt 0 ] || { echo "SIZE_MIB must exceed $((wals * wal_mib + small_mib))" >&2; exit 1; }
{ head -c $((db_mib * 3 / 4))M /dev/urandom; head -c $((db_mib - db_mib * 3 / 4))M /dev/zero; } >"$data/member/snap/db"
i=0
while [ "$i" -lt "$wals" ]; do
  name=$(printf '%016x-%016x.wal' "$i" $((i * 10000)))
  { head -c $((wal_mib / 2))M /dev/urandom; head -c $((wal_mib / 2))M /dev/zero; } >"$data/member/wal/$name"
  i=$((i + 1))
done
i=0
while [ "$i" -lt 16 ]; do
  head -c 65536 /dev/urandom >"$data/member/snap/$(printf '%016x-%016x.snap' 2 $((i * 10000)))"
  i=$((i + 1))
done
: >"$data/member/wal/0.tmp"
chmod -R go-rwx "$data"
chmod 0700 "$data" "$data/member" "$data/member/snap" "$data/member/wal"
cat "$data"/member/snap/* "$data"/member/wal/* >/dev/null  # into the page cache, once
total_bytes=$(du -sb "$data" | cut -f1)

# measure NAME CLEANUP CMD...: appends the wall seconds of each run to
# $work/NAME.times; CLEANUP (a path) is removed and everything synced first.
measure() {
  name=$1
  cleanup=$2
  shift 2
  i=0
  while [ "$i" -lt "$runs" ]; do
    [ -z "$cleanup" ] || rm -rf "$cleanup"
    sync
    /usr/bin/time -f %e -o "$work/time.txt" "$@" >/dev/null
    cat "$work/time.txt" >>"$work/$name.times"
    i=$((i + 1))
  done
}
median() { sort -n "$work/$1.times" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure cp "$work/cp" cp -a "$data" "$work/cp"
measure cp_sync "$work/cp" sh -c 'cp -a "$1" "$2" && sync' sh "$data" "$work/cp"
measure tar "" sh -c 'tar -cf - -C "$1" . | zstd -q -T0 | sha256sum' sh "$data"
measure backup "$work/set" "$bench" backup "$data" "$work/set"
measure backup_one_thread "$work/set" "$bench" backup "$data" "$work/set" --single-thread
measure backup_cfr_db "$work/db.copy" "$bench" probe-copy-file-range "$data/member/snap/db" "$work/db.copy"
rm -f "$work/db.copy"
measure verify "" "$bench" verify "$work/set"
measure restore "$work/restored" "$bench" restore "$work/set" "$work/restored"
measure cp_back "$work/cp" cp -a "$work/set" "$work/cp"

# The set is a real one: sha256sum -c agrees, and the restore is the source.
(cd "$work/set" && sha256sum --quiet --strict -c MANIFEST.sha256) || { echo "sha256sum -c failed" >&2; exit 1; }
diff -r "$data" "$work/restored" >/dev/null || { echo "restore differs from the source" >&2; exit 1; }

cp_median=$(median cp)
row() {
  printf '%-58s %9s %7s\n' "$1" "$(median "$2")" \
    "$(awk -v a="$(median "$2")" -v b="$3" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
}
echo "data: $total_bytes bytes in $(find "$data" -type f | wc -l) files; $runs runs each, median"
echo "filesystem: $(df -T "$work" | awk 'NR == 2 { print $2 " (" $1 ")" }'); cores: $(nproc)"
printf '%-58s %9s %7s\n' "contender" "wall (s)" "x cp -a"
row "cp -a DIR (kubeadm; no fsync)" cp "$cp_median"
row "cp -a DIR && sync" cp_sync "$cp_median"
row "tar -cf - DIR | zstd -T0 | sha256sum" tar "$cp_median"
row "kuphost backup: copy + SHA-256 + fsync + manifest" backup "$cp_median"
row "  same, SHA-256 on the copying thread" backup_one_thread "$cp_median"
row "  read+hash+copy_file_range, member/snap/db only" backup_cfr_db "$cp_median"
row "kuphost verify (re-hash the set)" verify "$cp_median"
row "kuphost restore (copy + verify + fsync)" restore "$cp_median"
row "cp -a SET (restore the kubeadm way)" cp_back "$cp_median"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
