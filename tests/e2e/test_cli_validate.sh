#!/bin/bash
# tests/e2e/test_cli_validate.sh - `trustreg validate` on the shared OSCAL files and on broken
# copies: output format FILE: POINTER: expected ..., found ..., --json, exit codes, options.
. "$(dirname "$0")/lib.sh"

mapfile -t FILES < <(find "$OSCAL" -name '*.json' -not -path '*/schemas/*' | sort)
[ "${#FILES[@]}" -ge 37 ] || fail "expected at least 37 OSCAL JSON files, found ${#FILES[@]}"
REV5="$OSCAL/NIST_SP-800-53_rev5_catalog.json"
BASIC="$OSCAL/examples/catalog/json/basic-catalog.json"
LOW="$OSCAL/NIST_SP-800-53_rev5_LOW-baseline_profile.json"

# every shared document is schema-valid, in one command
run_tr 0 validate --schema-only "${FILES[@]}"
check "one 'valid' line per file" test "$(grep -c ': valid (OSCAL ' <<<"$OUT")" -eq "${#FILES[@]}"
# with the OSCAL rules, only NIST's example component-definition (two statements share a uuid)
mapfile -t CLEAN < <(printf '%s\n' "${FILES[@]}" | grep -v example-component-definition)
run_tr 0 validate "${CLEAN[@]}"
run_tr 2 validate "$OSCAL/examples/component-definition/json/example-component-definition.json"
contains "duplicate uuid reported" "$OUT" "statements/0/uuid: expected a uuid not used elsewhere in the document, found \"bb9219b1-e51c-4680-abb0-616a43bbfbb1\", already used at"

# --json
run_tr 0 validate --json "$REV5" "$BASIC"
check "json: two results" test "$(jq length <<<"$OUT")" -eq 2
check "json: rev5 uses 1.0.6" test "$(jq -r '.[0].schema_version' <<<"$OUT")" == 1.0.6
check "json: basic uses 1.1.3" test "$(jq -r '.[1].schema_version' <<<"$OUT")" == 1.1.3
check "json: valid" jq -e 'all(.[]; .valid and (.errors | length == 0))' <<<"$OUT" >/dev/null

# broken copies: one line per problem, pointer, expected, found
jq '.catalog.metadata.title = 42 | .catalog.groups[1].extra = true | del(.catalog.groups[2].controls[0].title)
    | .catalog.uuid = "613fca2d-704a-42e7-8e2b-b206fb92b45" ' "$REV5" >"$TMP/bad.json"
run_tr 2 validate "$TMP/bad.json"
check "four problems" test "$(wc -l <<<"$OUT")" -eq 4
contains "type" "$OUT" "$TMP/bad.json: /catalog/metadata/title: expected string, found number 42 [type]"
contains "additional" "$OUT" "$TMP/bad.json: /catalog/groups/1/extra: expected no member of this name"
contains "required" "$OUT" "$TMP/bad.json: /catalog/groups/2/controls/0: expected required member \"title\", found object without \"title\" [required]"
contains "uuid" "$OUT" "$TMP/bad.json: /catalog/uuid: expected a string matching ^[0-9A-Fa-f]{8}-"
run_tr 2 validate --json "$TMP/bad.json"
check "json: invalid with 4 errors" test "$(jq '.[0].errors | length' <<<"$OUT")" -eq 4
check "json: locations in the schema" jq -e '.[0].errors | map(.location) | index("oscal_complete_schema.json#/definitions/UUIDDatatype/pattern") != null' <<<"$OUT" >/dev/null
run_tr 2 validate --max-errors 2 "$TMP/bad.json"
contains "max-errors" "$OUT" "more problems not listed"

# the OSCAL rules
jq '.catalog.groups[0].controls[0].links[0].href = "#no-such-thing"' "$REV5" >"$TMP/href.json"
run_tr 2 validate "$TMP/href.json"
contains "dangling href" "$OUT" "/catalog/groups/0/controls/0/links/0/href: expected a reference"
run_tr 0 validate --schema-only "$TMP/href.json"
jq '.profile.imports[0].href = "no_such_catalog.json"' "$LOW" >"$TMP/import.json"
run_tr 2 validate "$TMP/import.json"
contains "missing import" "$OUT" "/profile/imports/0/href: expected an existing file"
cp "$LOW" "$TMP/low.json"
run_tr 2 validate "$TMP/low.json"   # the copy's import is relative to $TMP, where nothing is
contains "import relative to the file" "$OUT" "NIST_SP-800-53_rev5_catalog.xml"

# stdin, a mix of files: the worst exit code wins
run_tr 0 validate - <"$BASIC"
contains "stdin" "$OUT" "(stdin): valid"
run_tr 3 validate "$BASIC" "$TMP/none.json"
contains "missing file" "$ERR" "none.json"
printf '{"catalog": ' >"$TMP/trunc.json"
run_tr 2 validate "$TMP/trunc.json"
contains "syntax error position" "$ERR" "trunc.json:1:"

# schema versions
run_tr 0 validate --schema-version 1.2.1 --json "$REV5"
check "forced version" test "$(jq -r '.[0].schema_version' <<<"$OUT")" == 1.2.1
run_tr 1 validate --schema-version 9.9.9 "$REV5"
contains "unknown version" "$ERR" 'no OSCAL schema version "9.9.9" (available: 1.0.6, 1.1.2, 1.1.3, 1.2.1)'
jq '.catalog.metadata["oscal-version"] = "2.0.0"' "$BASIC" >"$TMP/v2.json"
run_tr 3 validate "$TMP/v2.json"
contains "no schema for the version" "$ERR" "no schema for OSCAL 2.0.0"

# usage
run_tr 1 validate
run_tr 1 validate --max-errors 0 "$BASIC"
run_tr 0 validate --help
contains "help" "$OUT" "usage: trustreg validate"
finish
