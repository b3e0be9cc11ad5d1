#!/bin/bash
# bench/resolve.sh - profile resolution end to end (read the profile and the catalog, resolve,
# write the catalog) against `jq -c .` on the rev5 catalog (3.1 MB), timed with hyperfine in the
# same run. Prints the ratios.
# Targets (issue 4): NIST rev5 HIGH <= 0.75x jq; FedRAMP rev4 MODERATE <= 1x jq.
# Usage: TRUSTREG=build-bench/trustreg bench/resolve.sh   (or: make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
TRUSTREG=${TRUSTREG:-build-bench/trustreg}
OSCAL=../shared/data/oscal
CATALOG=$OSCAL/NIST_SP-800-53_rev5_catalog.json
HIGH=$OSCAL/NIST_SP-800-53_rev5_HIGH-baseline_profile.json
FEDRAMP=$OSCAL/FedRAMP_rev4_MODERATE-baseline_profile.json
FR_HREF='https://raw.githubusercontent.com/usnistgov/oscal-content/v1.0.0/nist.gov/SP800-53/rev4/json/NIST_SP-800-53_rev4_catalog.json'
FR_CATALOG=$OSCAL/oscal-content-v1.0.0/NIST_SP-800-53_rev4_catalog-min.json
for tool in hyperfine jq; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/install-deps --bench)" >&2; exit 1; }
done
[ -x "$TRUSTREG" ] || { echo "bench: $TRUSTREG not built (make bench)" >&2; exit 1; }
for f in "$CATALOG" "$HIGH" "$FEDRAMP" "$FR_CATALOG"; do
    [ -f "$f" ] || { echo "bench: $f not found" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/trustreg-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT

hyperfine --warmup 3 --min-runs 20 -N --export-json "$TMP/h.json" \
    --command-name jq "jq -c . $CATALOG" \
    --command-name rev5-high "$TRUSTREG resolve -o $TMP/high.json $HIGH" \
    --command-name fedramp-rev4-moderate "$TRUSTREG resolve -o $TMP/fr.json --map $FR_HREF=$FR_CATALOG $FEDRAMP" \
    >/dev/null

jq -r '
  (.results | map({key: .command, value: .}) | from_entries) as $r
  | ($r.jq.median) as $ref
  | "machine: \(env.HOSTTYPE // "x86_64"), \($r.jq.times | length) runs each, medians",
    "  jq -c .                 \($ref * 1000 | floor) ms (reference)",
    ( ["rev5-high", "fedramp-rev4-moderate"][] as $c
      | "  \($c | . + "                      " | .[0:23]) \($r[$c].median * 1000 | . * 10 | floor / 10) ms   ratio \($r[$c].median / $ref | . * 100 | floor / 100)x" ),
    "targets: rev5-high <= 0.75x, fedramp-rev4-moderate <= 1x"
' "$TMP/h.json"
