#!/bin/bash
# tests/e2e/test_cli_ccm.sh - trustreg ccm / caiq on workbooks generated at test time with the
# shape of the real CSA files (scripts/gen-ccm-fixtures, invented text, real ID lists): counts
# against ../shared/data/ccm ID lists for every version, search and export of the catalog, OSCAL
# schema validation, CAIQ answers accepted and rejected with sheet/cell/cause, summaries equal to
# the generator's own tally, export round trips, and malformed workbooks.
. "$(dirname "$0")/lib.sh"

IDS="$TRUSTREG_SHARED_DATA/ccm"
SCHEMAS="$TRUSTREG_SHARED_DATA/oscal/schemas/v1.1.3"
FX="$PWD/ccm-fixtures-e2e"   # ctest runs in the build tree
rm -rf "$FX"
python3 "$TRUSTREG_SOURCE_DIR/scripts/gen-ccm-fixtures" --ids "$IDS" --out "$FX" \
    || { echo "FAIL: fixture generation"; exit 1; }
VALIDATE="python3 $(dirname "$0")/oscal_validate.py"
HAVE_SCHEMA=0
python3 -c 'import jsonschema' 2>/dev/null && [ -d "$SCHEMAS" ] && HAVE_SCHEMA=1
DB="$TMP/ccm.db"
T() { "$TRUSTREG" --db "$DB" "$@"; }

# expected counts, computed from the ID lists
n_controls() { wc -l <"$IDS/$1" | tr -d ' '; }
n_questions() { cut -d: -f2 "$IDS/$1" | wc -w | tr -d ' '; }
n_domains() { cut -d: -f1 "$IDS/$1" | sed 's/-[0-9]*$//' | sort -u | wc -l | tr -d ' '; }

# ---- ccm import: every layout, counts against the ID lists --------------------------------------
import_counts() { # FILE IDLIST
    run_tr 0 --db "$DB" ccm import --json "$FX/$1" || return
    check "$1 domains" test "$(jq .domains <<<"$OUT")" -eq "$(n_domains "$2")"
    check "$1 controls" test "$(jq .controls <<<"$OUT")" -eq "$(n_controls "$2")"
    check "$1 questions" test "$(jq .questions <<<"$OUT")" -eq "$(n_questions "$2")"
}
import_counts caiq-v4.0.3.xlsx ccm-v4-ids.txt
V4_UUID=$(jq -r .uuid <<<"$OUT")
import_counts caiq-v4.0.2.xlsx ccm-v4-ids.txt
import_counts ccm-v4.0.12.xlsx ccm-v4-ids.txt
MATRIX_UUID=$(jq -r .uuid <<<"$OUT")
check "matrix mapping cells = generated" test "$(jq .mappings <<<"$OUT")" -eq \
    "$(jq length "$FX/expected-v4-mappings.json")"
check "matrix versions" test "$(jq -r '.ccm_version + " " + .caiq_version' <<<"$OUT")" == "4.0.12 4.0.3"
import_counts caiq-v3.0.1.xlsx ccm-v3.0.1-ids.txt
V301_UUID=$(jq -r .uuid <<<"$OUT")
check "v3.0.1 mapping cells = generated (hidden values under merges left out)" \
    test "$(jq .mappings <<<"$OUT")" -eq "$(jq length "$FX/expected-v3.0.1-mappings.json")"
import_counts caiq-v3.1.xlsx caiq-v3.1-ids.txt
check "the three counts of the issue hold" test "$(n_questions ccm-v4-ids.txt)/$(n_questions ccm-v3.0.1-ids.txt)/$(n_questions caiq-v3.1-ids.txt)" == "261/295/310"

# the same file again changes nothing
run_tr 0 --db "$DB" ccm import --json "$FX/caiq-v4.0.3.xlsx"
check "re-import unchanged" test "$(jq .unchanged <<<"$OUT")" == true
# --version asserts the version
run_tr 2 --db "$DB" ccm import --version 3.1 "$FX/caiq-v4.0.3.xlsx"
contains "version mismatch named" "$ERR" "not version 3.1"
run_tr 1 --db "$DB" ccm import --version 9 "$FX/caiq-v4.0.3.xlsx"

# the catalog works like any catalog: show by CSA label, search, export, schema
run_tr 0 --db "$DB" catalog show --json "$V4_UUID" 'A&A-02'
check "show by label" test "$(jq -r .id <<<"$OUT")" == "a_a-02"
check "group is the domain" test "$(jq -r .group_title <<<"$OUT")" == "Invented domain title for A&A"
run_tr 0 --db "$DB" catalog show --json "$V301_UUID" 'AIS-02'
contains "v3 statement = control specification" "$(jq -r .statement <<<"$OUT")" "Invented specification of control AIS-02"
run_tr 0 --db "$DB" search --json --catalog "$MATRIX_UUID" specification IAM-02
check "search finds the control" test "$(jq -r '.[0].label' <<<"$OUT")" == "IAM-02"
"$TRUSTREG" --db "$DB" export --pretty "$V301_UUID" >"$TMP/v301.json"
check "every question is a part (with the inner-space ID normalised)" test \
    "$(jq '[.. | objects | select(.class? == "caiq-question")] | length' "$TMP/v301.json")" -eq "$(n_questions ccm-v3.0.1-ids.txt)"
check "AIS-02.2 present" jq -e '[.. | objects | select(.class? == "caiq-question") | .props[0].value] | index("AIS-02.2")' "$TMP/v301.json"
if [ "$HAVE_SCHEMA" = 1 ]; then
    for u in "$V4_UUID" "$MATRIX_UUID" "$V301_UUID"; do
        "$TRUSTREG" --db "$DB" export "$u" >"$TMP/cat.json"
        check "catalog $u validates" $VALIDATE "$SCHEMAS/oscal_catalog_schema.json" "$TMP/cat.json"
    done
else
    echo "note: python3-jsonschema or the schemas missing; schema validation skipped"
fi

# ---- CAIQ answers --------------------------------------------------------------------------------
summary_matches() { # EXPECTED.json: per-domain yes/no/na/blank and ownership as the generator tallied
    run_tr 0 --db "$DB" caiq summary --json || return
    local got want
    got=$(jq -S '[.domains[] | {key: .domain, value: {yes, no, na, blank,
          ownership: (.ownership | del(.other) | with_entries(select(.value > 0)))}}] | from_entries' <<<"$OUT")
    want=$(jq -S '.domains' "$FX/$1")
    check "summary = $1" test "$got" == "$want"
    check "summary total = questions" test "$(jq '.total.yes + .total.no + .total.na + .total.blank' <<<"$OUT")" -eq "$(jq .questions "$FX/$1")"
}
for v in v4.0.3 v3.0.1 v3.1; do
    run_tr 0 --db "$DB" caiq import --json "$FX/caiq-$v-filled.xlsx"
    check "$v accepted" test "$(jq .accepted <<<"$OUT")" == true
    check "$v no findings" test "$(jq '.findings | length' <<<"$OUT")" -eq 0
    case $v in v4*) exp=expected-v4-filled.json ;; *) exp=expected-$v-filled.json ;; esac
    summary_matches "$exp"
done

# a filled v4 with problems: every one reported with its cell; nothing written
before=$(sqlite3 "$DB" 'SELECT count(*) FROM caiq_assessments')
run_tr 2 --db "$DB" caiq import --json "$FX/caiq-v4.0.3-problems.xlsx"
finding() { jq -r --arg c "$1" '.findings[] | select(.code == $c) | "\(.sheet)!\(.cell) \(.question_id)"' <<<"$OUT" | tr '\n' ' '; }
check "Partial, N/A, Y reported" test "$(finding answer-invalid)" == "CAIQv4.0.3!C3 A&A-01.1 CAIQv4.0.3!C4 A&A-01.2 CAIQv4.0.3!C5 A&A-02.1 "
check "ownership outside the list" test "$(finding ownership-invalid)" == "CAIQv4.0.3!D6 A&A-03.1 "
check "blank answer" test "$(finding answer-blank)" == "CAIQv4.0.3!C7 A&A-04.1 "
check "NA without justification" test "$(finding na-without-justification)" == "CAIQv4.0.3!E8 A&A-05.1 "
check "unknown question" test "$(finding question-unknown)" == "CAIQv4.0.3!A9 A&A-99.1 "
check "removed question" test "$(finding question-missing)" == "CAIQv4.0.3! A&A-06.1 CAIQv4.0.3! A&A-06.2 "
check "reordered questions" test "$(finding question-reordered)" == "CAIQv4.0.3!A14 AIS-03.1 "
contains "value kept as written" "$(jq -r '.findings[0:4][] | .message' <<<"$OUT")" "'Partial'"
check "nothing imported" test "$(sqlite3 "$DB" 'SELECT count(*) FROM caiq_assessments')" -eq "$before"
run_tr 2 --db "$DB" caiq check "$FX/caiq-v4.0.3-problems.xlsx"
contains "text report names sheet and cell" "$OUT" "caiq-v4.0.3-problems.xlsx: CAIQv4.0.3!C3: error: answer 'Partial' is not one of Yes, No, NA"

# warnings only: accepted, unless --strict
run_tr 0 --db "$DB" caiq check --json "$FX/caiq-v4.0.3-warnings.xlsx"
check "warnings counted" test "$(jq .warnings <<<"$OUT")" -eq 2
run_tr 2 --db "$DB" caiq import --strict "$FX/caiq-v4.0.3-warnings.xlsx"
contains "strict says why" "$ERR" "(--strict)"

# v3: two marks, blank, NA without a note
run_tr 2 --db "$DB" caiq check --json "$FX/caiq-v3.1-problems.xlsx"
check "two marks" test "$(finding answer-multiple)" == "CAIQ v3.1!F5 AIS-01.1 "
check "v3 blank" test "$(finding answer-blank)" == "CAIQ v3.1!F6 AIS-01.2 "
check "v3 NA without note" test "$(finding na-without-justification)" == "CAIQ v3.1!I7 AIS-01.3 "

# altered forms
run_tr 2 --db "$DB" caiq check --json "$FX/wrong-columns.xlsx"
check "swapped columns reported as moved" test "$(finding column-moved)" == "CAIQv4.0.3!D2  CAIQv4.0.3!C2  "
run_tr 2 --db "$DB" caiq check --json "$FX/deleted-column.xlsx"
check "deleted column reported" test "$(finding column-missing)" == "CAIQv4.0.3!C  "

# CSV exports: v4 by its headers; v3 needs --version
python3 - "$IDS/ccm-v4-ids.txt" >"$TMP/caiq-v4.csv" <<'EOF'
import csv, sys
w = csv.writer(sys.stdout, lineterminator="\r\n")
w.writerow(["v4.0.3", "Invented title"])
w.writerow(["Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
            "CSP Implementation Description (Optional/Recommended)",
            "CSC Responsibilities  (Optional/Recommended)", "", "", "CCM Control ID"])
for line in open(sys.argv[1]):
    ctl, qs = line.split(":")
    for q in qs.split():
        w.writerow([q, "Invented, \"quoted\"\nquestion", "Yes", "CSP-owned", "Invented", "", "", "", ctl])
w.writerow(["End of Standard"])
EOF
run_tr 0 --db "$DB" caiq check --json "$TMP/caiq-v4.csv"
check "v4 CSV accepted" test "$(jq '[.accepted, .questions]' -c <<<"$OUT")" == "[true,$(n_questions ccm-v4-ids.txt)]"
printf 'Control Domain,Control ID,Question ID,Control Specification,Consensus Assessment Questions\n' >"$TMP/v3.csv"
run_tr 2 --db "$DB" caiq check "$TMP/v3.csv"
contains "v3 CSV needs --version" "$ERR" "--version"

# ---- export: OSCAL assessment-results and xlsx round trip ---------------------------------------
run_tr 0 --db "$DB" caiq import --json "$FX/caiq-v4.0.3-filled.xlsx"
AU=$(jq -r .assessment_uuid <<<"$OUT")
run_tr 0 --db "$DB" caiq export --format oscal -o "$TMP/ar.json" "$AU"
check "AR has one observation per answer" test "$(jq '.["assessment-results"].results[0].observations | length' "$TMP/ar.json")" -eq "$(n_questions ccm-v4-ids.txt)"
check "AR findings = Yes + No answers" test "$(jq '.["assessment-results"].results[0].findings | length' "$TMP/ar.json")" -eq \
    "$(jq '[.domains[] | .yes + .no] | add' "$FX/expected-v4-filled.json")"
if [ "$HAVE_SCHEMA" = 1 ]; then
    check "AR validates against OSCAL 1.1.3" $VALIDATE "$SCHEMAS/oscal_assessment-results_schema.json" "$TMP/ar.json"
    run_tr 0 --db "$DB" import "$TMP/ar.json"
fi
for v in v4.0.3 v3.0.1 v3.1; do
    run_tr 0 --db "$DB" caiq import --json "$FX/caiq-$v-filled.xlsx"
    run_tr 0 --db "$DB" caiq summary --json; S1=$(jq -c '[.domains, .total]' <<<"$OUT")
    run_tr 0 --db "$DB" caiq export -o "$TMP/back-$v.xlsx"
    run_tr 0 --db "$DB" caiq import --json "$TMP/back-$v.xlsx"
    check "$v xlsx export re-imports clean" test "$(jq -c '[.accepted, (.findings | length)]' <<<"$OUT")" == "[true,0]"
    run_tr 0 --db "$DB" caiq summary --json
    check "$v round trip keeps every answer" test "$(jq -c '[.domains, .total]' <<<"$OUT")" == "$S1"
done

# ---- malformed workbooks: exit 2, file named, nothing stored ------------------------------------
docs_before=$(sqlite3 "$DB" 'SELECT count(*) FROM documents')
for f in not-a-zip zip-bomb missing-sheet billion-laughs truncated; do
    run_tr 2 --db "$DB" ccm import "$FX/$f.xlsx"
    contains "$f: file named" "$ERR" "$f.xlsx"
done
contains "zip bomb named" "$("$TRUSTREG" --db "$DB" ccm import "$FX/zip-bomb.xlsx" 2>&1)" "zip bomb"
contains "DTD refused" "$("$TRUSTREG" --db "$DB" ccm import "$FX/billion-laughs.xlsx" 2>&1)" "DTD is not allowed"
contains "missing sheet named" "$("$TRUSTREG" --db "$DB" ccm import "$FX/missing-sheet.xlsx" 2>&1)" "missing sheet"
check "nothing stored by failed imports" test "$(sqlite3 "$DB" 'SELECT count(*) FROM documents')" -eq "$docs_before"
run_tr 3 --db "$DB" ccm import "$FX/no-such.xlsx"
run_tr 2 --db "$DB" --json caiq check "$FX/not-a-zip.xlsx"
check "JSON error" test "$(jq -r .error.kind <<<"$ERR")" == "bad input"
# a CAIQ without its catalog in the store: not found
run_tr 3 --db "$TMP/empty.db" caiq check "$FX/caiq-v4.0.3-filled.xlsx" || true
run_tr 3 --db "$DB" caiq summary 00000000-0000-4000-8000-000000000000
run_tr 1 --db "$DB" caiq export "$AU"

rm -rf "$FX"
finish
