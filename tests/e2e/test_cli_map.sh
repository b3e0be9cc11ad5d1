#!/bin/bash
# tests/e2e/test_cli_map.sh - trustreg map import|export|list|show|coverage on the real mapping
# collections of ../shared/data/mappings: counts derived with jq from the files, warnings for
# their known schema deviations, export round trips, transitive show, coverage, errors.
. "$(dirname "$0")/lib.sh"

MAPS="$TRUSTREG_SHARED_DATA/mappings"
MC="$MAPS/example-mapping/mapping-collections"
R5R4="$MC/NIST_SP-800-53_rev5-to-NIST_SP-800-53_rev4/mapping-collection.json"
CSF53="$MC/NIST_CSF_v2.0-to-NIST_SP-800-53_rev5/mapping-collection.json"
REV5="$OSCAL/NIST_SP-800-53_rev5_catalog.json"
REV4="$OSCAL/NIST_SP-800-53_rev4_catalog-min.json"
CSF="$MAPS/nist-csf-2.0/NIST_CSF_v2.0_catalog-min.json"
R5=$(jq -r .catalog.uuid "$REV5")
R4=$(jq -r .catalog.uuid "$REV4")
CSFU=$(jq -r .catalog.uuid "$CSF")
DB="$TMP/map.db"

run_tr 0 --db "$DB" import --quiet "$REV5" "$REV4" "$CSF"

# rev5 -> rev4: 740 maps, one pair each, bound to the stored catalogs by uuid
run_tr 0 --db "$DB" map import --json --source "$R5" --target "$R4" "$R5R4"
check "rev5->rev4: 740 maps" test "$(jq '.[0].maps' <<<"$OUT")" -eq 740
check "rev5->rev4: maps agree with jq" test "$(jq '[.["mapping-collection"].mappings[].maps[]] | length' "$R5R4")" -eq 740
check "rev5->rev4: one pair per map" test "$(jq '.[0].edges' <<<"$OUT")" -eq 740
check "provenance method 'manual' is a warning" jq -e '.[0].warnings | any(test("/provenance/method: \"manual\""))' <<<"$OUT" >/dev/null
check "every rev5/rev4 id exists: no unknown-control warning" jq -e '.[0].warnings | all(test("is not in catalog") | not)' <<<"$OUT" >/dev/null
R5R4_SET=$(jq -r '.[0].uuid' <<<"$OUT")

# CSF 2.0 -> rev5: counts from the file; the 5.2.0-only ids are reported
run_tr 0 --db "$DB" map import --json --source "$CSFU" --target "$R5" "$CSF53"
check "csf: maps as in the file" test "$(jq '.[0].maps' <<<"$OUT")" -eq "$(jq '[.["mapping-collection"].mappings[].maps[]] | length' "$CSF53")"
check "csf: pairs = target references in the file" test "$(jq '.[0].edges' <<<"$OUT")" -eq "$(jq '[.["mapping-collection"].mappings[].maps[].targets[]] | length' "$CSF53")"
check "csf: 106 maps" test "$(jq '.[0].maps' <<<"$OUT")" -eq 106
# ids of the file that the stored rev5 catalog lacks, computed with jq
MISSING=$(jq -r --slurpfile c "$REV5" '($c[0] | [.. | objects | select(has("controls")) | .controls[].id]) as $ids
  | [.["mapping-collection"].mappings[].maps[].targets[]["id-ref"]] | unique | map(select(. as $x | $ids | index($x) | not)) | .[]' "$CSF53")
check "csf: 4 ids missing from rev5 5.0.1" test "$(wc -w <<<"$MISSING")" -eq 4
for id in $MISSING; do
    check "csf: warning for $id" jq -e --arg id "$id" '.[0].warnings | any(contains("\"" + $id + "\" is not in catalog"))' <<<"$OUT" >/dev/null
done
CSF_SET=$(jq -r '.[0].uuid' <<<"$OUT")

# the two toy collections: id_ref and the wrong href folder are warnings, not failures
run_tr 0 --db "$DB" map import --json "$MC/PCI_v4-to-Harmonized_V1.1/mapping-collection.json"
check "toy: id_ref warned" jq -e '.[0].warnings | any(test("id_ref"))' <<<"$OUT" >/dev/null
check "toy: unresolved href warned" jq -e '.[0].warnings | any(test("Harmonized_v1.1.*not bound"))' <<<"$OUT" >/dev/null

run_tr 0 --db "$DB" map list --json
check "list: three sets" test "$(jq length <<<"$OUT")" -eq 3
check "list: names from the hrefs" jq -e 'any(.[]; .frameworks == "NIST_SP-800-53_rev5 -> NIST_SP-800-53_rev4")' <<<"$OUT" >/dev/null

# export round trip: same content as the file (jq -S), to stdout and to a file
for pair in "$R5R4_SET:$R5R4" "$CSF_SET:$CSF53"; do
    set_id=${pair%%:*}; file=${pair#*:}
    "$TRUSTREG" --db "$DB" map export "$set_id" | jq -S . >"$TMP/a.json"
    jq -S . "$file" >"$TMP/b.json"
    check "export of $set_id has the file's content" cmp -s "$TMP/a.json" "$TMP/b.json"
done
run_tr 0 --db "$DB" map export -o "$TMP/r5r4.json" "$R5R4_SET"
check "export -o writes the file" test "$(jq '[.["mapping-collection"].mappings[].maps[]] | length' "$TMP/r5r4.json")" -eq 740

# CSV: export, import into a new database, export again: same text
run_tr 0 --db "$DB" map export --format csv -o "$TMP/r5r4.csv" "$R5R4_SET"
check "csv export: header + 740 records" test "$(wc -l <"$TMP/r5r4.csv")" -eq 741
check "csv export: equal-to kept" test "$(grep -c ',equal-to,' "$TMP/r5r4.csv")" -eq "$(jq '[.. | objects | select(.relationship? == "equal-to")] | length' "$R5R4")"
run_tr 0 --db "$TMP/csv.db" map import --json "$TMP/r5r4.csv"
check "csv re-import: 740 maps" test "$(jq '.[0].maps' <<<"$OUT")" -eq 740
"$TRUSTREG" --db "$TMP/csv.db" map export --format csv "$(jq -r '.[0].uuid' <<<"$OUT")" >"$TMP/again.csv"
check "csv round trip is identical" cmp -s "$TMP/r5r4.csv" "$TMP/again.csv"

# show: direct mappings of a CSF subcategory are exactly the targets of its map
run_tr 0 --db "$DB" map show --json NIST_CSF_v2.0 PR.AA-01
WANT=$(jq -r '.["mapping-collection"].mappings[].maps[] | select(.sources[0]["id-ref"] == "pr.aa-01") | .targets[]["id-ref"]' "$CSF53" | sort)
check "show: targets of pr.aa-01" test "$(jq -r '.[].control' <<<"$OUT" | sort)" == "$WANT"
check "show: all superset-of" jq -e 'all(.[]; .relationship.name == "superset-of")' <<<"$OUT" >/dev/null
# transitive: CSF -> rev5 -> rev4 with the path explained
run_tr 0 --db "$DB" map show --json --transitive NIST_CSF_v2.0 PR.AA-01
check "transitive: reaches rev4" jq -e 'any(.[]; .catalog == "NIST_SP-800-53_rev4" and .depth == 2)' <<<"$OUT" >/dev/null
# ia-2 (rev5) maps to rev4 ia-2 with the relationship stated in the file
REL=$(jq -r '.["mapping-collection"].mappings[].maps[] | select(.sources[0]["id-ref"] == "ia-2") | .relationship' "$R5R4")
case "$REL" in equal-to|equivalent-to) WANT=superset-of ;; superset-of) WANT=superset-of ;; *) WANT=unknown ;; esac
check "transitive: pr.aa-01 vs rev4 ia-2 composed from '$REL'" test "$(jq -r '.[] | select(.catalog == "NIST_SP-800-53_rev4" and .control == "ia-2") | .relationship.name' <<<"$OUT")" == "$WANT"
run_tr 0 --db "$DB" map show --transitive NIST_CSF_v2.0 PR.AA-01
contains "text path" "$OUT" "PR.AA-01 superset-of ia-2"
run_tr 0 --db "$DB" map show --json --transitive --max-depth 1 NIST_CSF_v2.0 PR.AA-01
check "max-depth 1 stays in rev5" jq -e 'all(.[]; .catalog == "NIST_SP-800-53_rev5")' <<<"$OUT" >/dev/null

# coverage: meeting PR.AA-01 fully covers exactly its rev5 targets
run_tr 0 --db "$DB" map coverage --json --from NIST_CSF_v2.0 --to "$R5" --met PR.AA-01
check "coverage: full = targets of pr.aa-01" test "$(jq -r '.controls[] | select(.coverage == "full") | .control' <<<"$OUT" | sort)" == \
    "$(jq -r '.["mapping-collection"].mappings[].maps[] | select(.sources[0]["id-ref"] == "pr.aa-01") | .targets[]["id-ref"]' "$CSF53" | sort)"
check "coverage: lists every active rev5 control" test "$(jq '.controls | length' <<<"$OUT")" -ge \
    "$(jq '[.. | objects | select(has("controls")) | .controls[] | select(([.props[]? | select(.name == "status" and .value == "withdrawn")] | length) == 0)] | length' "$REV5")"
# the other way: rev5 controls only ever partly cover a CSF subcategory
printf '# met controls\nac-2\nia-2, ia-5\n' >"$TMP/met.txt"
run_tr 0 --db "$DB" map coverage --json --from "$R5" --to NIST_CSF_v2.0 --met "$TMP/met.txt"
check "coverage from file: no full" test "$(jq .summary.full <<<"$OUT")" -eq 0
check "coverage from file: pr.aa-01 partial via ia-2" jq -e '.controls[] | select(.control == "PR.AA-01") | .coverage == "partial"' <<<"$OUT" >/dev/null
check "coverage: CSF universe is the official catalog's active items" test "$(jq '.controls | length' <<<"$OUT")" -eq \
    "$(jq '[.. | objects | select(has("controls")) | .controls[] | select(([.props[]? | select(.name == "status" and .value == "withdrawn")] | length) == 0)] | length' "$CSF")"
run_tr 0 --db "$DB" map coverage --from "$R5" --to NIST_CSF_v2.0 --met zz-1
contains "unknown met id warned" "$ERR" 'met control "zz-1"'

# errors: exit codes and positions
printf 'source_catalog,source_control,relationship,target_catalog,target_control,strength\nA,a,bigger,B,b,\n' >"$TMP/bad.csv"
run_tr 2 --db "$DB" map import "$TMP/bad.csv"
contains "csv error position" "$ERR" "bad.csv:2:3: unknown relationship"
run_tr 2 --db "$DB" map import --json "$REV5"
check "a catalog is refused as JSON error" jq -e '.error.kind == "bad input"' <<<"$ERR" >/dev/null
run_tr 3 --db "$DB" map show nosuch x
run_tr 3 --db "$DB" map export 00000000-0000-4000-8000-000000000000
run_tr 1 --db "$DB" map coverage --from A
run_tr 1 --db "$DB" map frobnicate
run_tr 0 --db "$DB" map --help
contains "help" "$OUT" "trustreg map coverage"
run_tr 0 --db "$DB" map list --json
check "failed imports stored nothing" test "$(jq length <<<"$OUT")" -eq 3

finish
