#!/bin/bash
# bench/tlog.sh - the transparency log: appending 1,000,000 entries of 256 bytes in durable
# batches of 10,000 (one transaction each, synchronous=FULL) against `sha256sum` of the same
# bytes, both single-threaded and timed with hyperfine in the same run; then inclusion and
# consistency proof generation on the 1,000,000-leaf log (2,000 random proofs of each kind,
# p50/p95, with the node and tile reads per proof).
# Targets (issue 7): append rate >= 0.5x sha256sum's rate; proof p95 < 100 us.
# Usage: TRUSTREG=build-bench/trustreg bench/tlog.sh   (or: make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
TRUSTREG=${TRUSTREG:-build-bench/trustreg}
for tool in hyperfine jq sha256sum; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/install-deps --bench)" >&2; exit 1; }
done
[ -x "$TRUSTREG" ] || { echo "bench: $TRUSTREG not built (make bench)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/trustreg-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
N=1000000
# 1,000,000 distinct entries of exactly 256 bytes, one per line
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++) printf "entry %0250d\n", i }' >"$TMP/entries"
DB="$TMP/bench.db"

hyperfine --warmup 1 --runs 5 -N --export-json "$TMP/h.json" \
    --command-name sha256sum "sha256sum $TMP/entries" \
    --command-name append --prepare "rm -f $DB $DB-wal $DB-shm" \
    "$TRUSTREG --db $DB log append --quiet --lines --raw --leaves-only --batch 10000 $TMP/entries" \
    >/dev/null
size=$("$TRUSTREG" --db "$DB" log status --json | jq .tree_size)
[ "$size" -eq $N ] || { echo "bench: the log has $size entries, expected $N" >&2; exit 1; }
"$TRUSTREG" --db "$DB" log prove --sample 2000 --json >"$TMP/p.json"

jq -r --slurpfile p "$TMP/p.json" '
  (.results | map({key: .command, value: .}) | from_entries) as $r
  | ($r.sha256sum.median) as $ref | ($r.append.median) as $app | $p[0] as $p
  | "machine: \(env.HOSTTYPE // "x86_64"), \($r.append.times | length) runs each, medians",
    "  sha256sum of 1,000,000 x 256 B   \($ref * 1000 | floor) ms (reference), \(256 / $ref | floor) MB/s",
    "  log append, batches of 10,000    \($app * 1000 | floor) ms, \(1000000 / $app | floor) entries/s, rate \($ref / $app * 100 | floor / 100)x sha256sum (target >= 0.5x)",
    ( ["warm", "cold"][] as $c | ["inclusion", "consistency"][] as $k
      | "  \($k + " proof          " | .[0:18]) \($c)  p50 \($p[$c][$k].p50_us | . * 10 | floor / 10) us  p95 \($p[$c][$k].p95_us | . * 10 | floor / 10) us  \($p[$c][$k].node_reads | . * 10 | floor / 10) node reads (\($p[$c][$k].tile_reads | . * 10 | floor / 10) tiles)" ),
    "  targets: append rate >= 0.5x sha256sum; proof p95 < 100 us (warm: SQLite page cache hot, as in a server)",
    "  (\($p.proofs) random proofs of each kind on the \($p.tree_size)-leaf log)"
' "$TMP/h.json"
