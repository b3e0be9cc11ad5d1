#!/bin/bash
# tests/e2e/test_cli_tlog_witness.sh - a second trustreg database witnesses a log (C2SP
# tlog-witness add-checkpoint, tlog-cosignature v1): cosigns consistent checkpoints, answers 409
# with its size, refuses a forked log's checkpoints as a split view (kept as evidence), refuses
# bad signatures (403) and unknown logs (404); bundles verify with the witness's cosignature.
. "$(dirname "$0")/lib.sh"

L="$TMP/log.db"
W="$TMP/witness.db"
run_tr 0 --db "$L" log init --origin log.example/l --key-file "$TMP/log.key"
LKEY=$("$TRUSTREG" --db "$L" log status --json | jq -r .verifier_key)
for i in 1 2 3 4 5 6 7; do echo "{\"n\": $i}" >"$TMP/s$i.json"; done
run_tr 0 --db "$L" log append "$TMP/s1.json" "$TMP/s2.json" "$TMP/s3.json"
run_tr 0 --db "$L" log checkpoint

run_tr 0 --db "$W" log witness init --name witness.example/w --key-file "$TMP/w.key"
WKEY=$(sed -n 's/^verifier key: //p' <<<"$OUT")
check "witness key file mode 0600" test "$(stat -c %a "$TMP/w.key")" = 600
run_tr 0 --db "$W" log witness follow "$LKEY"

# first contact: old size 0, no proof
"$TRUSTREG" --db "$L" log witness request --old 0 >"$TMP/req1"
check "request starts with the old size" test "$(head -1 "$TMP/req1")" = "old 0"
run_tr 0 --db "$W" log witness add-checkpoint "$TMP/req1"
echo "$OUT" >"$TMP/cosig1"
contains "cosignature line" "$OUT" "witness.example/w "
run_tr 0 --db "$L" log witness attach --witness-key "$WKEY" "$TMP/cosig1"
"$TRUSTREG" --db "$L" log entry --bundle 1 >"$TMP/b1.json"
run_tr 0 verify --log-key "$LKEY" --witness-key "$WKEY" "$TMP/b1.json"
contains "verify checks the cosignature" "$OUT" "cosignature by witness witness.example/w"
"$TRUSTREG" log keygen --cosigner --name other.example/w --key-file "$TMP/o.key" >"$TMP/o.vkey"
run_tr 2 verify --log-key "$LKEY" --witness-key "$(cat "$TMP/o.vkey")" "$TMP/b1.json"
contains "missing cosignature" "$ERR" "no cosignature by witness other.example/w"
run_tr 2 --db "$L" log witness attach --witness-key "$(cat "$TMP/o.vkey")" "$TMP/cosig1"

# the log grows: a stale old size gets 409 and the witness's size, the right one a cosignature
run_tr 0 --db "$L" log append "$TMP/s4.json" "$TMP/s5.json"
run_tr 0 --db "$L" log checkpoint
"$TRUSTREG" --db "$L" log witness request --old 0 >"$TMP/req2"
run_tr 2 --db "$W" log witness add-checkpoint "$TMP/req2"
check "409 answers the cosigned size" test "$OUT" = 3
"$TRUSTREG" --db "$L" log witness request --old 3 >"$TMP/req3"
run_tr 0 --db "$W" log witness add-checkpoint --json "$TMP/req3"
check "200 with a consistency proof" test "$(jq .status <<<"$OUT")" -eq 200

# a forked log (same key, different entries after size 5)
cp "$L" "$TMP/fork.db"
run_tr 0 --db "$L" log append "$TMP/s6.json"
run_tr 0 --db "$L" log checkpoint
run_tr 0 --db "$TMP/fork.db" log append "$TMP/s7.json"
run_tr 0 --db "$TMP/fork.db" log checkpoint
"$TRUSTREG" --db "$L" log witness request --old 5 >"$TMP/req4"
run_tr 0 --db "$W" log witness add-checkpoint "$TMP/req4"
"$TRUSTREG" --db "$TMP/fork.db" log witness request --old 6 >"$TMP/req5"
run_tr 2 --db "$W" log witness add-checkpoint --json "$TMP/req5"
check "same size, other root: split view" test "$(jq .split_view <<<"$OUT")" = true
check "split view is 422" test "$(jq .status <<<"$OUT")" -eq 422
run_tr 0 --db "$TMP/fork.db" log append "$TMP/s1.json"
run_tr 0 --db "$TMP/fork.db" log checkpoint
"$TRUSTREG" --db "$TMP/fork.db" log witness request --old 5 >"$TMP/req6"
sed -i '1s/.*/old 6/' "$TMP/req6"
run_tr 2 --db "$W" log witness add-checkpoint "$TMP/req6"
contains "inconsistent larger tree: split view" "$ERR" "SPLIT VIEW"
check "refusals are kept as evidence" test "$(sqlite3 "$W" 'SELECT count(*) FROM tlog_witness_refusals')" -ge 3

# a tampered checkpoint (403) and an unknown log (404)
sed 's/^6$/60/' "$TMP/req4" | sed '1s/.*/old 6/' >"$TMP/req7"
run_tr 2 --db "$W" log witness add-checkpoint --json "$TMP/req7"
check "bad signature is 403" test "$(jq .status <<<"$OUT")" -eq 403
run_tr 0 --db "$TMP/u.db" log init --origin unknown.example/u --key-file "$TMP/u.key"
run_tr 0 --db "$TMP/u.db" log append "$TMP/s1.json"
run_tr 0 --db "$TMP/u.db" log checkpoint
"$TRUSTREG" --db "$TMP/u.db" log witness request >"$TMP/req8"
run_tr 3 --db "$W" log witness add-checkpoint "$TMP/req8"
printf 'old 01\n\nx\n' >"$TMP/req9"
run_tr 2 --db "$W" log witness add-checkpoint "$TMP/req9"
contains "malformed request" "$ERR" "(400)"
finish
