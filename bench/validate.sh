#!/bin/bash
# bench/validate.sh - `trustreg validate` (schema + OSCAL rules, end to end: process start, read,
# parse, validate, print) on the NIST SP 800-53 rev5 catalog against `jq -c .` on the same file,
# timed with hyperfine in the same run. Prints the ratios.
# Target (issue 4): validating the rev5 catalog against the schema <= 1.0x jq. For comparison the
# issue quotes ajv (JavaScript) at about 2.8x jq end to end on this file; set AJV to an ajv-cli
# command to time it too (not installed by default; no network at run time).
# Usage: TRUSTREG=build-bench/trustreg bench/validate.sh   (or: make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
TRUSTREG=${TRUSTREG:-build-bench/trustreg}
CATALOG=../shared/data/oscal/NIST_SP-800-53_rev5_catalog.json
for tool in hyperfine jq; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/install-deps --bench)" >&2; exit 1; }
done
[ -x "$TRUSTREG" ] || { echo "bench: $TRUSTREG not built (make bench)" >&2; exit 1; }
[ -f "$CATALOG" ] || { echo "bench: $CATALOG not found" >&2; exit 1; }
"$TRUSTREG" validate "$CATALOG" >/dev/null || { echo "bench: the catalog does not validate" >&2; exit 1; }

TMP=$(mktemp -d /tmp/trustreg-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
EXTRA=()
if [ -n "${AJV:-}" ]; then EXTRA=(--command-name ajv "$AJV"); fi

hyperfine --warmup 3 --min-runs 30 -N --export-json "$TMP/h.json" \
    --command-name jq "jq -c . $CATALOG" \
    --command-name validate "$TRUSTREG validate $CATALOG" \
    --command-name validate-schema-only "$TRUSTREG validate --schema-only $CATALOG" \
    "${EXTRA[@]}" >/dev/null

jq -r '
  (.results | map({key: .command, value: .}) | from_entries) as $r
  | ($r.jq.median) as $ref
  | "machine: \(env.HOSTTYPE // "x86_64"), \($r.jq.times | length) runs each, medians",
    "  jq -c .               \($ref * 1000 | floor) ms (reference)",
    ( ($r | keys_unsorted | map(select(. != "jq")))[] as $c
      | "  \($c | . + "                    " | .[0:21]) \($r[$c].median * 1000 | . * 10 | floor / 10) ms   ratio \($r[$c].median / $ref | . * 100 | floor / 100)x   (max \($r[$c].max * 1000 | floor) ms)" ),
    "target: validate <= 1.0x"
' "$TMP/h.json"
