#!/bin/bash
# tests/e2e/test_cli_oscal.sh - the trustreg command on the real OSCAL files of ../shared/data:
# import of every JSON document, export round trip, rev5 counts, catalog show, search.
. "$(dirname "$0")/lib.sh"

DB="$TMP/all.db"
mapfile -t FILES < <(find "$OSCAL" -name '*.json' -not -path '*/schemas/*' | sort)
[ "${#FILES[@]}" -ge 30 ] || fail "expected at least 30 OSCAL JSON files, found ${#FILES[@]}"

# every document imports, in one command, with --json describing each
run_tr 0 --db "$DB" import --json "${FILES[@]}"
check "import --json is an array of one object per file" \
    test "$(jq length <<<"$OUT")" -eq "${#FILES[@]}"
check "import --json objects have the documented keys" \
    jq -e 'all(.[]; has("file") and has("model") and has("uuid") and has("title") and has("controls"))' <<<"$OUT" >/dev/null
IMPORTED=$OUT

# export gives back the same JSON for every file: by SHA-256 the original bytes, and the
# pretty re-serialisation equal after jq -S normalisation
for f in "${FILES[@]}"; do
    sha=$(jq -r --arg f "$f" '.[] | select(.file == $f) | .sha256' <<<"$IMPORTED")
    check "sha256 of $f" test "$sha" == "$(sha256sum "$f" | cut -d' ' -f1)"
    "$TRUSTREG" --db "$DB" export "$sha" >"$TMP/exp" && cmp -s "$TMP/exp" "$f" \
        && pass || fail "export $sha is not byte-identical to $f"
    got=$("$TRUSTREG" --db "$DB" export --pretty "$sha" | jq -S .)
    [ "$got" == "$(jq -S . "$f")" ] && pass || fail "pretty export of $f differs after jq -S"
done
# by uuid: the latest import with that uuid
LAST=$(jq -r '.[-1].file' <<<"$IMPORTED")
"$TRUSTREG" --db "$DB" export "$(jq -r .[-1].uuid <<<"$IMPORTED")" | cmp -s - "$LAST" \
    && pass || fail "export by uuid"

# NIST SP 800-53 rev5: 1189 controls and enhancements (incl. withdrawn), 20 groups
REV5="$OSCAL/NIST_SP-800-53_rev5_catalog.json"
REV5_UUID=$(jq -r .catalog.uuid "$REV5")
run_tr 0 --db "$TMP/rev5.db" import --json "$REV5"
check "rev5 has 1189 controls" test "$(jq '.[0].controls' <<<"$OUT")" -eq 1189
check "rev5 has 20 groups" test "$(jq '.[0].groups' <<<"$OUT")" -eq 20
# the same numbers computed independently from the file with jq
check "rev5 control count agrees with jq" test "$(jq '[.. | objects | select(has("controls")) | .controls[]] | length' "$REV5")" -eq 1189
run_tr 0 --db "$TMP/rev5.db" import "$REV5"
contains "re-import says already stored" "$OUT" "already stored"

run_tr 0 --db "$TMP/rev5.db" catalog list --json
check "catalog list shows one catalog" test "$(jq length <<<"$OUT")" -eq 1
check "catalog list gives the uuid" test "$(jq -r '.[0].uuid' <<<"$OUT")" == "$REV5_UUID"

run_tr 0 --db "$TMP/rev5.db" catalog show "$REV5_UUID" ac-2
contains "show: title" "$OUT" "AC-2 Account Management"
contains "show: statement item" "$OUT" "b. Assign account managers;"
contains "show: parameter rendered" "$OUT" "[Assignment: organization-defined frequency]"
contains "show: enhancement listed" "$OUT" "AC-2(13)"
run_tr 0 --db "$TMP/rev5.db" catalog show --json "$REV5_UUID" 'AC-2(5)'
check "show --json by label" test "$(jq -r .id <<<"$OUT")" == "ac-2.5"
check "show --json parent" test "$(jq -r .parent <<<"$OUT")" == "ac-2"
run_tr 0 --db "$TMP/rev5.db" catalog show --json "$REV5_UUID" sc-7
# parameters of SC-7 as jq sees them in the source, rendered by trustreg
check "show --json has every parameter of the source" test "$(jq '.params | length' <<<"$OUT")" -eq \
    "$(jq '[.catalog.groups[].controls[] | select(.id == "sc-7") | .params[]] | length' "$REV5")"
run_tr 3 --db "$TMP/rev5.db" catalog show "$REV5_UUID" zz-1
contains "unknown control" "$ERR" 'has no control "zz-1"'

run_tr 0 --db "$TMP/rev5.db" search --json account management
check "search finds AC-2" jq -e 'any(.[]; .id == "ac-2")' <<<"$OUT" >/dev/null
run_tr 0 --db "$TMP/rev5.db" search --json --limit 3 audit
check "search --limit" test "$(jq length <<<"$OUT")" -eq 3
run_tr 0 --db "$TMP/rev5.db" search --json --raw 'boundary NEAR protection'
check "raw FTS syntax" jq -e 'length > 0' <<<"$OUT" >/dev/null
run_tr 2 --db "$TMP/rev5.db" search --raw '"unterminated'
contains "bad raw query" "$ERR" "invalid search query"

run_tr 0 --db "$TMP/rev5.db" list --json --model catalog
check "list --model catalog" test "$(jq length <<<"$OUT")" -eq 1

# export -o writes the file whole
run_tr 0 --db "$TMP/rev5.db" export -o "$TMP/out.json" "$REV5_UUID"
check "export -o is byte-identical" cmp -s "$TMP/out.json" "$REV5"
run_tr 2 --db "$TMP/rev5.db" export -o "$TMP/no/such/dir/out.json" "$REV5_UUID"
check "failed export leaves no file" test ! -e "$TMP/no/such/dir/out.json"
run_tr 3 --db "$TMP/rev5.db" export 00000000-0000-4000-8000-000000000000

finish
