#!/bin/bash
# tests/e2e/test_cli_resolve.sh - 'trustreg resolve' on the real NIST and FedRAMP profiles of
# ../shared/data and on the invented fixtures. No published resolved catalogs are in
# ../shared/data (see its oscal/README.md), so each result is compared with what jq derives
# from the catalog and the profile (resolve_checks.jq: control ids and order, every control's
# content, groups, parameters set, alters, back-matter, metadata).
. "$(dirname "$0")/lib.sh"

CHECKS_DIR="$TRUSTREG_SOURCE_DIR/tests/e2e"
FIX="$TRUSTREG_SOURCE_DIR/tests/fixtures/resolve"
REV5="$OSCAL/NIST_SP-800-53_rev5_catalog.json"
REV4="$OSCAL/NIST_SP-800-53_rev4_catalog-min.json"
REV4_V100="$OSCAL/oscal-content-v1.0.0/NIST_SP-800-53_rev4_catalog-min.json"
R4_HREF='../../../../nist.gov/SP800-53/rev4/json/NIST_SP-800-53_rev4_catalog.json'
R5_HREF='../../../../nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json'
FR_HREF='https://raw.githubusercontent.com/usnistgov/oscal-content/v1.0.0/nist.gov/SP800-53/rev4/json/NIST_SP-800-53_rev4_catalog.json'

# derived NAME RESOLVED CATALOG PROFILE EXPR: the jq checks EXPR must all hold (an empty list)
derived() {
    local name=$1 resolved=$2 cat=$3 prof=$4 expr=$5
    local res
    res=$(jq -c -L "$CHECKS_DIR" --slurpfile cat "$cat" --slurpfile prof "$prof" \
        "include \"resolve_checks\"; $expr" "$resolved" 2>&1)
    if [ "$res" == "[]" ]; then pass; else fail "$name: $(cut -c1-600 <<<"$res")"; fi
}

# -- NIST rev5 (2021 profiles; the .xml href is read from the .json sibling) --
declare -A WANT=([LOW]=149 [MODERATE]=287 [HIGH]=370 [PRIVACY]=102)
for b in LOW MODERATE HIGH PRIVACY; do
    prof="$OSCAL/NIST_SP-800-53_rev5_${b}-baseline_profile.json"
    run_tr 0 resolve --json -o "$TMP/r5$b.json" "$prof" || continue
    check "rev5 $b: ${WANT[$b]} controls" test "$(jq .controls <<<"$OUT")" -eq "${WANT[$b]}"
    check "rev5 $b: no warnings" test -z "$ERR"
    derived "rev5 $b" "$TMP/r5$b.json" "$REV5" "$prof" \
        'check_ids + check_groups + check_content(.) + check_backmatter + check_metadata'
done
# PRIVACY: the 6 controls beyond the 96 listed are the parents of listed enhancements
check "rev5 PRIVACY adds exactly the parents of listed enhancements" test \
    "$(jq -L "$CHECKS_DIR" --slurpfile p "$OSCAL/NIST_SP-800-53_rev5_PRIVACY-baseline_profile.json" \
        'include "resolve_checks"; ([.catalog | ctls | .id] - $p[0].profile.imports[0]["include-controls"][0]["with-ids"]) as $extra
         | [.catalog | ctls | select(.controls) | .id] as $parents
         | ($extra | length) == 6 and ($extra - $parents) == []' "$TMP/r5PRIVACY.json")" == true

# the 5.1.1 profiles list the same controls; their rlink is mapped to the 5.0.1 catalog
for b in LOW PRIVACY; do
    run_tr 0 resolve -o "$TMP/r511$b.json" --map "$R5_HREF=$REV5" \
        "$OSCAL/nist-rev5-5.1.1-profiles/NIST_SP-800-53_rev5_${b}-baseline_profile.json" || continue
    check "rev5 5.1.1 $b: same controls as the 2021 profile" test \
        "$(jq -c '[.. | objects | select(has("title") and has("id")) | .id]' "$TMP/r511$b.json")" == \
        "$(jq -c '[.. | objects | select(has("title") and has("id")) | .id]' "$TMP/r5$b.json")"
done

# -- NIST rev4 (alters add props at position starting, no by-id) --
declare -A WANT4=([LOW]=124 [MODERATE]=261 [HIGH]=343)
for b in LOW MODERATE HIGH; do
    prof="$OSCAL/NIST_SP-800-53_rev4_${b}-baseline_profile.json"
    run_tr 0 resolve --json -o "$TMP/r4$b.json" --map "$R4_HREF=$REV4" "$prof" || continue
    check "rev4 $b: ${WANT4[$b]} controls" test "$(jq .controls <<<"$OUT")" -eq "${WANT4[$b]}"
    check "rev4 $b: no warnings" test -z "$ERR"
    derived "rev4 $b" "$TMP/r4$b.json" "$REV4" "$prof" \
        'check_ids + check_groups + check_rev4 + check_backmatter + check_metadata'
done

# -- FedRAMP rev4 (the https rlink mapped to the oscal-content v1.0.0 catalog) --
declare -A WANTF=([MODERATE]=325 [LI-SaaS]=126) SETP=([MODERATE]=177 [LI-SaaS]=41)
for b in MODERATE LI-SaaS; do
    prof="$OSCAL/FedRAMP_rev4_${b}-baseline_profile.json"
    run_tr 0 resolve --json -o "$TMP/fr$b.json" --map "$FR_HREF=$REV4_V100" "$prof" || continue
    check "FedRAMP $b: ${WANTF[$b]} controls" test "$(jq .controls <<<"$OUT")" -eq "${WANTF[$b]}"
    check "FedRAMP $b: no warnings (every set-parameter and alter found its target)" test -z "$ERR"
    derived "FedRAMP $b" "$TMP/fr$b.json" "$REV4_V100" "$prof" \
        "if set_params_applied == ${SETP[$b]} then [] else [\"set-parameters applied: \(set_params_applied)\"] end
         + check_ids + check_groups + check_set_params + check_alters + check_positions + check_backmatter + check_metadata"
done
# LI-SaaS removes the catalog's objective and assessment parts before adding its own objective
check "LI-SaaS: no catalog assessment part left, FedRAMP objectives added" test \
    "$(jq '[.. | objects | select(.name? == "assessment")] | length' "$TMP/frLI-SaaS.json") \
$(jq '[.. | objects | select(.name? == "objective" and (.id? // "" | endswith("_obj_fr")))] | length > 0' "$TMP/frLI-SaaS.json")" \
    == "0 true"

# -- the command itself --
# without -o: the catalog on standard output, same content as with -o
run_tr 0 resolve "$FIX/asis_ids.json"
check "stdout is the catalog" test "$(jq -c '.catalog.groups | map(.id)' <<<"$OUT")" == '["g1","g2","g3"]'
# -o is atomic: a failing resolution leaves the old file untouched
echo "old content" >"$TMP/keep.json"
run_tr 3 resolve -o "$TMP/keep.json" "$FIX/missing.json"
check "failed resolve leaves -o untouched" test "$(cat "$TMP/keep.json")" == "old content"
contains "missing import names the file" "$ERR" "no-such-catalog.json"
run_tr 3 resolve "$FIX/missing_outer.json"
contains "missing import names the chain" "$ERR" "missing_outer.json -> $FIX/missing.json"
run_tr 2 resolve "$FIX/cycle_a.json"
contains "cycle names the chain" "$ERR" "import cycle: $FIX/cycle_a.json -> $FIX/cycle_b.json -> $FIX/cycle_a.json"
run_tr 2 resolve --json "$FIX/cycle_self.json"
check "--json error object" test "$(jq -r .error.kind <<<"$ERR")" == "bad input"
run_tr 3 resolve "$FIX/url_href.json"
contains "absolute URL asks for --map" "$ERR" "--map 'https://example.org/oscal/catalog.json=FILE'"
run_tr 0 resolve --map "https://example.org/oscal/catalog.json=$FIX/catalog.json" "$FIX/url_href.json"
run_tr 0 resolve "$FIX/alter_remove_then_add.json"
contains "warnings on stderr" "$ERR" "warning: "
run_tr 0 resolve --quiet "$FIX/alter_remove_then_add.json"
check "--quiet drops warnings" test -z "$ERR"
run_tr 1 resolve
run_tr 1 resolve --map nonsense "$FIX/asis_ids.json"
run_tr 1 resolve --bogus "$FIX/asis_ids.json"
run_tr 0 resolve --help
contains "help mentions --map" "$OUT" "--map HREF=FILE"
run_tr 2 resolve "$REV5"
contains "a catalog is not a profile" "$ERR" "not a profile"

# --store: the resolved catalog is stored, indexed and searchable
DB="$TMP/store.db"
run_tr 0 --db "$DB" resolve --store --json "$OSCAL/NIST_SP-800-53_rev5_LOW-baseline_profile.json"
UUID=$(jq -r .uuid <<<"$OUT")
check "--store reports the stored document" test "$(jq .stored.controls <<<"$OUT")" -eq 149
run_tr 0 --db "$DB" catalog list --json
check "stored catalog listed" test "$(jq -r '.[0].uuid' <<<"$OUT")" == "$UUID"
run_tr 0 --db "$DB" catalog show "$UUID" ac-2
contains "stored catalog: control shown" "$OUT" "Account Management"
run_tr 3 --db "$DB" catalog show "$UUID" ac-2.1
run_tr 0 --db "$DB" search --json account management
check "stored catalog searchable" test "$(jq 'length > 0' <<<"$OUT")" == true
run_tr 0 --db "$DB" export "$UUID"
check "exported catalog is the resolution" test "$(jq -c '[.catalog.groups[].id]' <<<"$OUT")" == \
    "$(jq -c '[.catalog.groups[].id]' "$TMP/r5LOW.json")"
# --store with -o writes the file too, and the stored bytes are the file's
run_tr 0 --db "$DB" resolve --store -o "$TMP/stored.json" "$FIX/asis_ids.json"
run_tr 0 --db "$DB" export "$(jq -r .catalog.uuid "$TMP/stored.json")"
check "stored bytes equal the -o file" test "$OUT" == "$(cat "$TMP/stored.json")"

finish
