#!/bin/bash
# bench/catalog_import.sh - import and export of the NIST SP 800-53 rev5 catalog (3.1 MB) against
# `jq -c .` on the same file, timed with hyperfine in the same run. Prints the ratios.
# Target (issue 3): import (parse + store + index, durable) <= 0.5x jq; export <= 0.5x jq.
# Usage: TRUSTREG=build-bench/trustreg bench/catalog_import.sh   (or: make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
TRUSTREG=${TRUSTREG:-build-bench/trustreg}
CATALOG=../shared/data/oscal/NIST_SP-800-53_rev5_catalog.json
for tool in hyperfine jq; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/install-deps --bench)" >&2; exit 1; }
done
[ -x "$TRUSTREG" ] || { echo "bench: $TRUSTREG not built (make bench)" >&2; exit 1; }
[ -f "$CATALOG" ] || { echo "bench: $CATALOG not found" >&2; exit 1; }

TMP=$(mktemp -d /tmp/trustreg-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DB="$TMP/bench.db"
"$TRUSTREG" --db "$TMP/export.db" import --quiet "$CATALOG" >/dev/null
UUID=$(jq -r .catalog.uuid "$CATALOG")

hyperfine --warmup 3 --min-runs 20 -N --export-json "$TMP/h.json" \
    --command-name jq "jq -c . $CATALOG" \
    --command-name import --prepare "rm -f $DB $DB-wal $DB-shm" "$TRUSTREG --db $DB import --quiet $CATALOG" \
    --command-name export "$TRUSTREG --db $TMP/export.db export $UUID" \
    --command-name export-pretty "$TRUSTREG --db $TMP/export.db export --pretty $UUID" \
    >/dev/null

jq -r '
  (.results | map({key: .command, value: .}) | from_entries) as $r
  | ($r.jq.median) as $ref
  | "machine: \(env.HOSTTYPE // "x86_64"), \($r.jq.times | length) runs each, medians",
    "  jq -c .          \($ref * 1000 | floor) ms (reference)",
    ( ["import", "export", "export-pretty"][] as $c
      | "  \($c | . + "               " | .[0:16]) \($r[$c].median * 1000 | . * 10 | floor / 10) ms   ratio \($r[$c].median / $ref | . * 100 | floor / 100)x   (p95-ish max \($r[$c].max * 1000 | floor) ms)" ),
    "targets: import <= 0.5x, export <= 0.5x"
' "$TMP/h.json"
