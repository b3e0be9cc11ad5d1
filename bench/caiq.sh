#!/bin/bash
# bench/caiq.sh - `trustreg caiq import` of a generated 20,000-row filled CAIQ v4 workbook (read,
# check against the stored catalog, store every answer, durable) against the floor of unpacking
# and parsing its sheet XML in the same run:
#   unzip -p book.xlsx xl/worksheets/sheet2.xml | xmllint --stream --noout -
# (the questionnaire is the workbook's second sheet; sheet1 is the short Introduction).
# Target (issue 5): <= 2x. Usage: TRUSTREG=build-bench/trustreg bench/caiq.sh   (or: make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
TRUSTREG=${TRUSTREG:-build-bench/trustreg}
ROWS=${ROWS:-20000}
for tool in hyperfine jq unzip xmllint python3; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (scripts/install-deps --bench)" >&2; exit 1; }
done
[ -x "$TRUSTREG" ] || { echo "bench: $TRUSTREG not built (make bench)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/trustreg-bench-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
BOOK="$TMP/book.xlsx"
python3 scripts/gen-ccm-fixtures --ids ../shared/data/ccm --bench "$ROWS" --out "$BOOK"
# the blank form of the same questions is the reference catalog, imported once
"$TRUSTREG" --db "$TMP/base.db" ccm import "$TMP/book-template.xlsx" >/dev/null
ROWS_READ=$("$TRUSTREG" --db "$TMP/base.db" caiq check --json "$BOOK" | jq .questions)
SHEET=$(unzip -Z1 "$BOOK" | grep -c 'worksheets/sheet')
DB="$TMP/bench.db"

hyperfine --warmup 2 --min-runs 10 --export-json "$TMP/h.json" \
    --command-name floor "unzip -p $BOOK xl/worksheets/sheet2.xml | xmllint --stream --noout -" \
    --command-name import --prepare "cp $TMP/base.db $DB; rm -f $DB-wal $DB-shm" \
    "$TRUSTREG --db $DB caiq import --quiet $BOOK" \
    --command-name check "$TRUSTREG --db $TMP/base.db caiq check --quiet $BOOK" \
    >/dev/null

jq -r --arg rows "$ROWS_READ" --arg sheets "$SHEET" '
  (.results | map({key: .command, value: .}) | from_entries) as $r
  | ($r.floor.median) as $ref
  | "workbook: \($rows) question rows, \($sheets) sheets; \($r.floor.times | length) runs each, medians",
    "  unzip | xmllint --stream  \($ref * 1000 | floor) ms (reference)",
    ( ["import", "check"][] as $c
      | "  caiq \($c | . + "                 " | .[0:20]) \($r[$c].median * 1000 | . * 10 | floor / 10) ms   ratio \($r[$c].median / $ref | . * 100 | floor / 100)x" ),
    "target: import <= 2x"
' "$TMP/h.json"
