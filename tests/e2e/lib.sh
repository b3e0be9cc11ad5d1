# tests/e2e/lib.sh - helpers for the end-to-end shell tests (sourced, not run).
# Environment from ctest: TRUSTREG (the binary), TRUSTREG_SHARED_DATA, TRUSTREG_SOURCE_DIR.
set -u
: "${TRUSTREG:?TRUSTREG must name the trustreg binary}"
: "${TRUSTREG_SHARED_DATA:?TRUSTREG_SHARED_DATA must name ../shared/data}"
OSCAL="$TRUSTREG_SHARED_DATA/oscal"
TMP=$(mktemp -d /tmp/trustreg-e2e-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export TRUSTREG_DB="$TMP/default.db"
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }

# check NAME COMMAND...: the command must succeed
check() {
    local name=$1; shift
    if "$@"; then pass; else fail "$name"; fi
}

# run_tr EXPECTED_EXIT ARGS...: run trustreg, keep stdout/stderr in $OUT/$ERR, check exit code
run_tr() {
    local want=$1; shift
    "$TRUSTREG" "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
    if [ "$got" -ne "$want" ]; then
        fail "trustreg $* exited $got, expected $want; stderr: $ERR"
        return 1
    fi
    pass
    return 0
}

# contains NAME HAYSTACK NEEDLE
contains() {
    case "$2" in *"$3"*) pass ;; *) fail "$1: '$3' not in: $2" ;; esac
}

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
