#!/bin/bash
# tests/e2e/test_cli_errors.sh - bad input, usage errors, exit codes, database selection,
# progress bar and crash safety of the trustreg command.
. "$(dirname "$0")/lib.sh"

DB="$TMP/e.db"
BASIC="$OSCAL/examples/catalog/json/basic-catalog.json"
run_tr 0 --db "$DB" import "$BASIC"
count() { "$TRUSTREG" --db "$DB" list --json | jq length; }
BEFORE=$(count)

bad() { # bad NAME CONTENT EXPECTED-EXIT NEEDLE
    printf '%s' "$2" >"$TMP/$1.json"
    run_tr "$3" --db "$DB" import "$TMP/$1.json" && contains "$1" "$ERR" "$4"
}
bad truncated '{"catalog": {"uuid": "0b5a2e1c-3f0d-4c4e-9a55-0d7e6f1a2b3c",' 2 "truncated.json:1:"
bad wrongtype '{"catalog": {"uuid": "0b5a2e1c-3f0d-4c4e-9a55-0d7e6f1a2b3c", "metadata": {"title": 42}}}' 2 \
    "at /catalog/metadata/title: expected a string, found integer"
bad unknown '{"component": {}}' 2 'unknown OSCAL model "component"'
bad empty '' 2 "empty input"
bad notjson 'catalog: yes' 2 "invalid JSON"
bad dupkey '{"catalog": {"uuid": "0b5a2e1c-3f0d-4c4e-9a55-0d7e6f1a2b3c", "uuid": "x"}}' 2 "duplicate object key"
python3 -c 'print("{\"catalog\":" + "[" * 5000 + "]" * 5000 + "}")' >"$TMP/deep.json"
run_tr 2 --db "$DB" import "$TMP/deep.json" && contains deep "$ERR" "deep.json:1:"
contains deep-msg "$ERR" "nesting deeper than 128 levels"
# a wrong type deep inside a catalog is reported with its JSON pointer
jq '.catalog.groups[0].groups[0].controls[0].parts[0].prose = 5' "$BASIC" >"$TMP/deeptype.json"
run_tr 2 --db "$DB" import "$TMP/deeptype.json" &&
    contains deeptype "$ERR" "at /catalog/groups/0/groups/0/controls/0/parts/0/prose: expected a string, found integer"
truncate -s 65M "$TMP/huge.json"
run_tr 2 --db "$DB" import "$TMP/huge.json" && contains huge "$ERR" "larger than the limit"
run_tr 3 --db "$DB" import "$TMP/does-not-exist.json" && contains missing "$ERR" "no such file"
run_tr 2 --db "$DB" import "$TMP" && contains directory "$ERR" "is a directory"
# one bad file in a batch: nothing of the batch is stored
run_tr 2 --db "$DB" import "$OSCAL/examples/ssp/json/ssp-example.json" "$TMP/truncated.json"
check "database unchanged after failed imports" test "$(count)" -eq "$BEFORE"

# --json errors are one JSON object on stderr with the position
run_tr 2 --db "$DB" --json import "$TMP/wrongtype.json"
check "json error pointer" test "$(jq -r .error.pointer <<<"$ERR")" == "/catalog/metadata/title"
check "json error exit code" test "$(jq -r .error.exit_code <<<"$ERR")" == 2
run_tr 2 --db "$DB" import --json "$TMP/truncated.json"
check "json error line" test "$(jq -r .error.line <<<"$ERR")" == 1

# usage errors exit 1
run_tr 1 frobnicate && contains "unknown command" "$ERR" "unknown command"
run_tr 1 --db "$DB" import && contains "import without files" "$ERR" "no FILE"
run_tr 1 --db "$DB" import --bogus x && contains "unknown option" "$ERR" "--bogus"
run_tr 1 --db "$DB" catalog show onlyone
run_tr 1 --db "$DB" search --limit 0 x
run_tr 1 --nope
run_tr 1
for c in init import export list catalog search; do
    run_tr 0 "$c" --help && contains "$c help" "$OUT" "usage: trustreg $c"
done
run_tr 0 --help && contains "help lists exit codes" "$OUT" "Exit codes"
run_tr 0 --version && contains version "$OUT" "trustreg "

# database selection: --db before or after the command, $TRUSTREG_DB, var/trustreg.db
run_tr 0 init --db "$TMP/after.db"
check "--db after the command" test -f "$TMP/after.db"
TRUSTREG_DB="$TMP/env.db" run_tr 0 init
check "TRUSTREG_DB" test -f "$TMP/env.db"
mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && unset TRUSTREG_DB && "$TRUSTREG" init >/dev/null) && pass || fail "init with default path"
check "default database var/trustreg.db" test -f "$TMP/cwd/var/trustreg.db"
run_tr 3 --db "$TMP/nothing.db" list && contains "missing db" "$ERR" "trustreg init"
check "read commands do not create a database" test ! -e "$TMP/nothing.db"
printf 'not a database at all, just some text that fills the header page' >"$TMP/junk.db"
run_tr 4 --db "$TMP/junk.db" list

# no progress bar when stderr is not a terminal; a bar when it is
run_tr 0 --db "$DB" import "$BASIC"
check "no progress on a pipe" test -z "$ERR"
# script(1) from bsdutils gives the command a pseudo-terminal
if script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "'$TRUSTREG' --db '$DB' import '$OSCAL/NIST_SP-800-53_rev4_catalog-min.json' >/dev/null" \
        "$TMP/typescript" >/dev/null 2>&1
    grep -q '100%' "$TMP/typescript" && pass || fail "progress bar on a terminal"
else
    fail "progress bar test: script(1) cannot open a pseudo-terminal (is /dev/pts mounted?)"
fi

# a crash (SIGKILL) right before commit leaves the database exactly as it was
cp "$DB" "$TMP/before.db"
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
SNAP=$(sqlite3 "$DB" 'SELECT group_concat(sha256) FROM (SELECT sha256 FROM documents ORDER BY id)')
TRUSTREG_TEST_CRASH=before-commit "$TRUSTREG" --db "$DB" import "$OSCAL/NIST_SP-800-53_rev5_catalog.json" \
    >/dev/null 2>&1
rc=$?
check "import was killed" test "$rc" -eq 137
check "killed import stored nothing" test \
    "$(sqlite3 "$DB" 'SELECT group_concat(sha256) FROM (SELECT sha256 FROM documents ORDER BY id)')" == "$SNAP"
check "no controls of the killed import" test \
    "$(sqlite3 "$DB" "SELECT count(*) FROM controls c JOIN documents d ON d.id = c.doc_id WHERE d.title LIKE '%Revision 5%'")" -eq 0
check "integrity after crash" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" == ok
run_tr 0 --db "$DB" import "$OSCAL/NIST_SP-800-53_rev5_catalog.json"
contains "import after crash works" "$OUT" "1189 controls"

finish
