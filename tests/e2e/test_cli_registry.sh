#!/bin/bash
# tests/e2e/test_cli_registry.sh - the registry commands end to end: providers, assessors,
# services with a platform, Level 1 submission and manual review, Level 2 prerequisite and
# confirmation, as-of status at the 365/366-day boundary, "no changes" renewal, withdrawal,
# public search, offerings and the service page (platform inheritance, restricted documents),
# bad input with exit codes, --policy overrides, the demo generator, and crash safety.
. "$(dirname "$0")/lib.sh"

DB="$TMP/reg.db"
T() { "$TRUSTREG" --db "$DB" "$@"; }
printf 'invented CAIQ answers' >"$TMP/caiq.xlsx"
printf 'invented SOC 2 report' >"$TMP/soc2.pdf"
printf 'invented certificate' >"$TMP/cert.pdf"

run_tr 0 --db "$DB" org add "Example Demo Cloud" --slug demo --website https://cloud.example \
    --contact security@cloud.example --date 2022-01-01
contains "org add" "$OUT" "added provider 1"
run_tr 0 --db "$DB" assessor add "Example CPA LLP" --slug cpa --kind cpa-firm --date 2022-01-01
run_tr 0 --db "$DB" service add demo "Example Platform" --slug plat --category Compute \
    --region eu-west-1 --region us-east-1 --description "virtual machines" --date 2022-01-01
run_tr 0 --db "$DB" service add demo "Example Backup" --slug backup --category Storage \
    --platform plat --date 2022-01-01
run_tr 0 --db "$DB" service list --json
check "two services" test "$(jq length <<<"$OUT")" -eq 2
check "platform link" test "$(jq -r '.[] | select(.slug=="backup") | .platform' <<<"$OUT")" == plat

# Level 2 before Level 1: refused (bad input)
run_tr 2 --db "$DB" entry add plat --level L2-attestation --ccm-version 4.0.12 \
    --assessment-date 2022-02-01 --assessor cpa --date 2022-02-02
contains "L2 prerequisite" "$ERR" "requires a published Level 1"

SHA=$(sha256sum "$TMP/caiq.xlsx" | cut -d' ' -f1)
run_tr 2 --db "$DB" entry add plat --level L1 --ccm-version 4.0.12 --assessment-date 2022-01-10 \
    --caiq "$TMP/caiq.xlsx" --sha256 0000000000000000000000000000000000000000000000000000000000000000 \
    --date 2022-01-10
contains "digest mismatch" "$ERR" "digest mismatch"
run_tr 2 --db "$DB" entry add plat --level L4 --ccm-version 4.0.12 --assessment-date 2022-01-10 \
    --caiq "$TMP/caiq.xlsx"
contains "unknown level" "$ERR" "unknown STAR level"
run_tr 2 --db "$DB" entry add plat --level L1 --ccm-version 4.0.12 --assessment-date 2999-01-10 \
    --caiq "$TMP/caiq.xlsx"
contains "future date" "$ERR" "in the future"
run_tr 1 --db "$DB" entry add plat --level L1 --ccm-version 4.0.12 --assessment-date 2022-01-10
contains "CAIQ required" "$ERR" "CAIQ"
run_tr 1 --db "$DB" entry add plat --level L1 --bogus
run_tr 1 --db "$DB" entry show 1 --reason x
contains "option not for subcommand" "$ERR" "does not apply"
run_tr 0 --db "$DB" entry search --all --json
check "nothing written by the refused commands" test "$(jq .count <<<"$OUT")" -eq 0

run_tr 0 --db "$DB" entry add plat --level L1 --ccm-version 4.0.12 --assessment-date 2022-01-10 \
    --caiq "$TMP/caiq.xlsx" --sha256 "$SHA" --date 2022-01-10 --json
check "submitted" test "$(jq -r .status <<<"$OUT")" == submitted
L1=$(jq -r .id <<<"$OUT")
run_tr 1 --db "$DB" entry review "$L1" --accept --date 2022-01-12
contains "no faked completeness" "$ERR" "no CAIQ completeness checker"
run_tr 0 --db "$DB" entry review "$L1" --accept --manual "all questions answered" --date 2022-01-12
contains "published" "$OUT" "published"

# as-of: 364 / 365 / 366 days after publication (2022-01-12)
for d in 2023-01-10:published 2023-01-11:published 2023-01-12:deprecated 2023-01-13:deprecated \
         2025-01-11:deprecated 2025-01-12:hidden; do
    run_tr 0 --db "$DB" entry show "$L1" --all --as-of "${d%%:*}" --json
    check "status on ${d%%:*}" test "$(jq -r .status <<<"$OUT")" == "${d##*:}"
done
# a policy file overrides the defaults
printf '{"level1": {"deprecate_after_months": 6}}' >"$TMP/policy.json"
run_tr 0 --db "$DB" entry show "$L1" --as-of 2022-07-12 --json --policy "$TMP/policy.json"
check "policy --policy" test "$(jq -r .status <<<"$OUT")" == deprecated
TRUSTREG_POLICY="$TMP/policy.json" "$TRUSTREG" --db "$DB" entry show "$L1" --as-of 2022-07-11 --json >"$TMP/o" \
    && check "policy env" test "$(jq -r .status "$TMP/o")" == published || fail "TRUSTREG_POLICY"
printf '{"level1": {"deprecate_after_months": "x"}}' >"$TMP/bad.json"
run_tr 2 --db "$DB" entry show "$L1" --policy "$TMP/bad.json"
contains "policy error pointer" "$ERR" "/level1/deprecate_after_months"

# Level 2: provider submits, assessor confirms
run_tr 0 --db "$DB" entry add plat --level L2-attestation --ccm-version 4.0.12 \
    --assessment-date 2022-02-01 --assessor cpa --restricted-doc audit-report="$TMP/soc2.pdf" \
    --date 2022-02-02 --json
L2=$(jq -r .id <<<"$OUT")
check "L2 waits for its assessor" test "$(jq -r .status <<<"$OUT")" == submitted
run_tr 0 --db "$DB" entry confirm "$L2" --assessor cpa --date 2022-02-03 --json
check "L2 confirmed" test "$(jq -r .status <<<"$OUT")" == published
run_tr 0 --db "$DB" entry show "$L2" --as-of 2023-02-01 --json
check "L2 expired after 12 months" test "$(jq -r .status <<<"$OUT")" == expired
check "restricted report not listed publicly" test "$(jq '.documents | length' <<<"$OUT")" -eq 0
run_tr 0 --db "$DB" entry show "$L2" --signed-in --json
check "restricted report for signed-in customers" test "$(jq -r '.documents[0].access' <<<"$OUT")" == restricted

# renewal while visible, then withdrawal
run_tr 0 --db "$DB" entry renew "$L1" --no-changes --date 2023-03-01
run_tr 0 --db "$DB" entry show "$L1" --as-of 2023-03-01 --json
check "renewed entry published again" test "$(jq -r .status <<<"$OUT")" == published
run_tr 0 --db "$DB" entry search --as-of 2023-06-01 --json
check "search lists L1 and L2" test "$(jq .count <<<"$OUT")" -eq 2
run_tr 0 --db "$DB" entry withdraw "$L2" --reason "report replaced" --date 2023-06-02
for st in "" published deprecated expired stale; do
    run_tr 0 --db "$DB" entry search ${st:+--status $st} --as-of 2023-06-10 --json
    check "withdrawn entry not public ($st)" test "$(jq "[.results[] | select(.id == $L2)] | length" <<<"$OUT")" -eq 0
done
run_tr 1 --db "$DB" entry search --status withdrawn
run_tr 0 --db "$DB" entry search --status withdrawn --all --json
check "operators see withdrawn" test "$(jq '.results[0].id' <<<"$OUT")" -eq "$L2"
run_tr 0 --db "$DB" entry history "$L2" --json
check "entry history" test "$(jq -r '[.[].kind] | join(",")' <<<"$OUT")" == \
    "entry.submitted,entry.published,entry.withdrawn"

# offerings: attainment on the platform, inherited by the backup service
run_tr 0 --db "$DB" offering list --category us-government --json
check "FedRAMP High in the list" test "$(jq '[.[] | select(.slug=="fedramp-high")] | length' <<<"$OUT")" -eq 1
run_tr 0 --db "$DB" offering attain demo iso-27001 --issued 2022-03-01 --expires 2025-02-28 \
    --service plat --doc certificate="$TMP/cert.pdf" --reference CERT-1 --date 2022-03-02
run_tr 0 --db "$DB" service show backup --as-of 2022-06-01 --json
check "inherited offering" test "$(jq -r '.offerings.global[0].source' <<<"$OUT")" == platform
check "link to the provider's offering page" test "$(jq -r '.offerings.global[0].href' <<<"$OUT")" == \
    /orgs/demo/offerings/iso-27001
run_tr 0 --db "$DB" service show backup --as-of 2022-06-01
contains "text page" "$OUT" "(from platform)"
run_tr 0 --db "$DB" offering show iso-27001 --org demo --as-of 2025-01-15 --json
check "expiring within 60 days" test "$(jq -r '.attainments[0].status' <<<"$OUT")" == expiring
check "certificate digest" test "$(jq -r '.attainments[0].documents[0].sha256' <<<"$OUT")" == \
    "$(sha256sum "$TMP/cert.pdf" | cut -d' ' -f1)"
run_tr 0 --db "$DB" entry search --offering iso-27001 --as-of 2022-06-01 --json
check "search by offering: the platform's two entries" test "$(jq .count <<<"$OUT")" -eq 2
run_tr 0 --db "$DB" entry search --offering soc-2 --as-of 2022-06-01 --json
check "search by an offering nobody holds" test "$(jq .count <<<"$OUT")" -eq 0
run_tr 3 --db "$DB" offering show iso-99999

# compare
run_tr 0 --db "$DB" service compare plat backup --as-of 2022-06-01 --json
check "compare two services" test "$(jq '.columns | length' <<<"$OUT")" -eq 2
run_tr 1 --db "$DB" service compare plat

# org history covers all its events
run_tr 0 --db "$DB" org history demo --json
check "provider history" test "$(jq length <<<"$OUT")" -ge 10

# crash right before commit leaves the registry unchanged
before=$(sqlite3 "$DB" "SELECT count(*) FROM reg_events")
TRUSTREG_TEST_CRASH=before-commit "$TRUSTREG" --db "$DB" org add "Crash Example" >/dev/null 2>&1
check "killed before commit" test $? -ne 0
check "nothing half-written" test "$(sqlite3 "$DB" "SELECT count(*) FROM reg_events")" -eq "$before"

# demo data: deterministic
run_tr 0 --db "$TMP/d1.db" demo --providers 6 --seed 7 --today 2026-01-15 --json
D1=$OUT
run_tr 0 --db "$TMP/d2.db" demo --providers 6 --seed 7 --today 2026-01-15 --json
check "demo counts deterministic" test "$D1" == "$OUT"
check "demo has entries" test "$(jq .entries <<<"$D1")" -gt 6
q="SELECT level, ccm_version, assessment_date, published_on, rejected_on, withdrawn_on FROM reg_entries ORDER BY id"
check "demo data deterministic" test "$(sqlite3 "$TMP/d1.db" "$q" | sha256sum)" == "$(sqlite3 "$TMP/d2.db" "$q" | sha256sum)"
run_tr 0 --db "$TMP/d1.db" entry search --as-of 2026-01-15 --json --limit 1000
check "demo search has several statuses" test "$(jq '[.results[].status] | unique | length' <<<"$OUT")" -ge 2
check "demo names are fictional" test "$(sqlite3 "$TMP/d1.db" "SELECT count(*) FROM reg_orgs WHERE name NOT LIKE '%Example%'")" -eq 0

finish
