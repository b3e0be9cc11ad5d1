#!/bin/bash
# tests/e2e/test_cli_tlog.sh - the transparency log through the trustreg command: init (key file
# mode 0600), append, entry, proofs, checkpoint, bundle + offline verify (and its failures),
# attestations, audit catching edits, deletions and reorders made with the sqlite3 command, and
# crash safety (kill -9 before commit and during batched appends: audit stays clean).
. "$(dirname "$0")/lib.sh"

DB="$TMP/log.db"
KEY="$TMP/keys/log.key"
run_tr 0 --db "$DB" log init --origin trustreg.example/log --key-file "$KEY"
contains "init prints the verifier key" "$OUT" "trustreg.example/log+"
check "key file has mode 0600" test "$(stat -c %a "$KEY")" = 600
VKEY=$("$TRUSTREG" --db "$DB" log status --json | jq -r .verifier_key)
run_tr 1 --db "$DB" log init --origin other.example/log --key-file "$TMP/other.key"
check "a second init never writes another key" test ! -e "$TMP/other.key"
run_tr 1 --db "$TMP/x.db" log init --origin "bad name" --key-file "$TMP/bad.key"

# statements: canonicalised (RFC 8785) on the way in
for i in 0 1 2 3 4 5 6; do
    printf '{ "id": "entry-%d", "n": %d.50, "docs": [{"sha256": "%064d"}] }\n' "$i" "$i" "$i" >"$TMP/s$i.json"
done
run_tr 0 --db "$DB" log append --json "$TMP"/s[0-6].json
check "append --json counts" test "$(jq .count <<<"$OUT")" -eq 7
check "append --json tree size" test "$(jq .tree_size <<<"$OUT")" -eq 7
run_tr 0 --db "$DB" log entry 3
check "entry is the canonical JSON" test "$OUT" = '{"docs":[{"sha256":"0000000000000000000000000000000000000000000000000000000000000003"}],"id":"entry-3","n":3.5}'
# the leaf hash is SHA-256(0x00 || canonical bytes), computed here independently
want=$( (printf '\000'; printf '%s' "$OUT") | sha256sum | cut -d' ' -f1)
run_tr 0 --db "$DB" log entry --json 3
got=$(jq -r .leaf_hash <<<"$OUT" | base64 -d | od -An -tx1 | tr -d ' \n')
check "leaf hash is SHA-256(0x00 || statement)" test "$got" = "$want"
run_tr 3 --db "$DB" log entry 7
run_tr 3 --db "$DB" log append "$TMP/missing.json"
printf '{"a": 1, "a": 2}' >"$TMP/dup.json"
run_tr 2 --db "$DB" log append "$TMP/s0.json" "$TMP/dup.json"
contains "duplicate key error names the file" "$ERR" "dup.json"
run_tr 0 --db "$DB" log status --json
check "a bad file appends nothing" test "$(jq .tree_size <<<"$OUT")" -eq 7

# proofs
run_tr 0 --db "$DB" log prove --json 5
check "inclusion proof of 5 in 7 has 3 hashes" test "$(jq '.proof | length' <<<"$OUT")" -eq 3
run_tr 0 --db "$DB" log consistency --json 3 7
check "consistency proof 3 -> 7 has hashes" test "$(jq '.proof | length' <<<"$OUT")" -ge 2
run_tr 1 --db "$DB" log prove abc
run_tr 3 --db "$DB" log consistency 3 9

# checkpoints and bundles
run_tr 3 --db "$DB" log entry --bundle 2
run_tr 0 --db "$DB" log checkpoint
CP=$OUT
contains "checkpoint origin line" "$CP" "trustreg.example/log"
check "checkpoint size line" test "$(sed -n 2p <<<"$CP")" = 7
run_tr 0 --db "$DB" log checkpoint
check "unchanged tree: the same checkpoint" test "$OUT" = "$CP"
run_tr 0 --db "$DB" log entry --bundle 2
echo "$OUT" >"$TMP/b2.json"
run_tr 0 verify --log-key "$VKEY" "$TMP/b2.json"
contains "verify lists the signature check" "$OUT" "signature by log key trustreg.example/log"
contains "verify lists inclusion" "$OUT" "inclusion: leaf 2 is in the tree of size 7"
run_tr 0 --db "$DB" verify --json "$TMP/b2.json"
check "verify --json verified" test "$(jq .verified <<<"$OUT")" = true
# every kind of tampering with the bundle fails with its reason
jq '.statement.id = "entry-X"' "$TMP/b2.json" >"$TMP/bad1.json"
run_tr 2 verify --log-key "$VKEY" "$TMP/bad1.json"
contains "edited statement" "$ERR" "inclusion proof does not verify"
jq '.leaf_index = 3' "$TMP/b2.json" >"$TMP/bad2.json"
run_tr 2 verify --log-key "$VKEY" "$TMP/bad2.json"
jq '.checkpoint |= sub("\n7\n"; "\n8\n")' "$TMP/b2.json" >"$TMP/bad3.json"
run_tr 2 verify --log-key "$VKEY" "$TMP/bad3.json"
contains "edited checkpoint" "$ERR" "invalid signature"
"$TRUSTREG" log keygen --name mallory.example/log --key-file "$TMP/m.key" >"$TMP/m.vkey"
run_tr 2 verify --log-key "$(cat "$TMP/m.vkey")" "$TMP/b2.json"
contains "other log key" "$ERR" "no signature of the note is by a trusted key"
jq '.inclusion_proof[0] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="' "$TMP/b2.json" >"$TMP/bad4.json"
run_tr 2 verify --log-key "$VKEY" "$TMP/bad4.json"
printf '{"media_type": 1' >"$TMP/bad5.json"
run_tr 2 verify --log-key "$VKEY" "$TMP/bad5.json"
contains "broken JSON gives a position" "$ERR" "bad5.json:1:"

# attestations: an assessor signs an in-toto statement; the envelope is logged and verified
run_tr 0 log keygen --name assessor.example/cb --key-file "$TMP/keys/assessor.key"
AKEY=$OUT
check "assessor key file mode 0600" test "$(stat -c %a "$TMP/keys/assessor.key")" = 600
cat >"$TMP/att.json" <<JSON
{"_type": "https://in-toto.io/Statement/v1",
 "subject": [{"name": "star-entry/42", "digest": {"sha256": "$(printf doc | sha256sum | cut -d' ' -f1)"}}],
 "predicateType": "https://trustreg.example/attestation/v1",
 "predicate": {"level": 2, "scope": "invented scope", "period": "2026-01-01/2026-12-31", "opinion": "unqualified"}}
JSON
run_tr 0 log attest --key-file "$TMP/keys/assessor.key" "$TMP/att.json"
echo "$OUT" >"$TMP/env.json"
run_tr 0 --db "$DB" log append --json "$TMP/env.json"
IDX=$(jq .first_index <<<"$OUT")
run_tr 0 --db "$DB" log checkpoint
"$TRUSTREG" --db "$DB" log entry --bundle "$IDX" >"$TMP/batt.json"
run_tr 0 verify --log-key "$VKEY" --signer-key "$AKEY" "$TMP/batt.json"
contains "attestation verified" "$OUT" "DSSE signature(s) by trusted signer keys verify"
contains "attestation subject" "$OUT" "star-entry/42 sha256:"
run_tr 2 verify --log-key "$VKEY" "$TMP/batt.json"
contains "envelope needs a signer key" "$ERR" "--signer-key"
run_tr 2 verify --log-key "$VKEY" --signer-key "$(cat "$TMP/m.vkey")" "$TMP/batt.json"
jq '.predicate.opinion = "qualified"' "$TMP/att.json" >"$TMP/att2.json"
"$TRUSTREG" log attest --key-file "$TMP/keys/assessor.key" "$TMP/att2.json" >"$TMP/env2.json"
jq --slurpfile e "$TMP/env2.json" '.signatures = $e[0].signatures' "$TMP/env.json" >"$TMP/env3.json"
# an envelope whose signature belongs to another statement is logged fine but fails to verify
run_tr 0 --db "$DB" log append --json "$TMP/env3.json"
IDX3=$(jq .first_index <<<"$OUT")
run_tr 0 --db "$DB" log checkpoint
"$TRUSTREG" --db "$DB" log entry --bundle "$IDX3" >"$TMP/batt3.json"
run_tr 2 verify --log-key "$VKEY" --signer-key "$AKEY" "$TMP/batt3.json"
contains "forged envelope" "$ERR" "DSSE signature by assessor.example/cb"
chmod 644 "$TMP/keys/assessor.key"
run_tr 2 log attest --key-file "$TMP/keys/assessor.key" "$TMP/att.json"
contains "world-readable key refused" "$ERR" "chmod 600"

# audit: clean, then every direct edit with the sqlite3 command is reported
run_tr 0 --db "$DB" audit
contains "audit clean" "$OUT" "clean: tree size 9"
cp "$DB" "$TMP/clean.db"
tamper() { # NAME SQL EXPECTED-TEXT
    cp "$TMP/clean.db" "$TMP/t.db"
    sqlite3 "$TMP/t.db" "$2" || fail "sqlite3: $2"
    run_tr 2 --db "$TMP/t.db" audit
    contains "audit reports $1" "$OUT" "$3"
}
tamper "an edited statement" \
    "UPDATE log_entries SET statement = CAST(replace(CAST(statement AS TEXT), 'entry-4', 'entry-9') AS BLOB) WHERE idx = 4" \
    "statement at index 4 does not hash to leaf 4"
tamper "a deleted statement" "DELETE FROM log_entries WHERE idx = 5" "leaf 5 has no stored statement"
tamper "a reorder" \
    "UPDATE log_entries SET idx = -1 WHERE idx = 1; UPDATE log_entries SET idx = 1 WHERE idx = 2; UPDATE log_entries SET idx = 2 WHERE idx = -1" \
    "statement at index 1 does not hash to leaf 1"
contains "the reorder's other half" "$OUT" "statement at index 2 does not hash to leaf 2"
tamper "an edited tile" "UPDATE tlog_tiles SET hashes = zeroblob(32) || substr(hashes, 33)" "inner nodes do not hash"
tamper "a rewritten leaf (statement and tile consistent)" \
    "UPDATE log_entries SET statement = CAST('{}' AS BLOB) WHERE idx = 0; UPDATE tlog_tiles SET hashes = X'$( (printf '\000{}') | sha256sum | cut -c1-64)' || substr(hashes, 33)" \
    "signed root of checkpoint 9"
tamper "a truncated log" "UPDATE tlog_state SET size = 6; DELETE FROM log_entries WHERE idx >= 6" "of size 9 was signed but the tree has only 6"
tamper "a deleted tile" "DELETE FROM tlog_tiles" "is missing"
tamper "an edited checkpoint" "UPDATE tlog_checkpoints SET note = replace(note, 'trustreg.example/log' || char(10) || '9', 'trustreg.example/log' || char(10) || '10')" "checkpoint of size 9"
run_tr 0 --db "$TMP/clean.db" audit --json
check "audit --json clean" test "$(jq .clean <<<"$OUT")" = true

# crash safety: the process is killed right before committing an append
run_tr 0 --db "$DB" log status --json
before=$(jq .tree_size <<<"$OUT")
TRUSTREG_TEST_CRASH=before-commit "$TRUSTREG" --db "$DB" log append "$TMP/s1.json" 2>/dev/null
check "append was killed" test $? -eq 137
run_tr 0 --db "$DB" audit
run_tr 0 --db "$DB" log status --json
check "crashed append left the tree as it was" test "$(jq .tree_size <<<"$OUT")" -eq "$before"
# and kill -9 at an arbitrary moment of a long batched append: whatever committed is whole
seq 1 30000 | sed 's/.*/{"n": &, "pad": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}/' >"$TMP/many.jsonl"
"$TRUSTREG" --db "$DB" log append --lines --batch 1000 "$TMP/many.jsonl" >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
run_tr 0 --db "$DB" audit
contains "audit clean after kill -9" "$OUT" "clean:"
run_tr 0 --db "$DB" log status --json
added=$(($(jq .tree_size <<<"$OUT") - before))
check "only whole batches landed ($added)" test $((added % 1000)) -eq 0
check "sqlite integrity" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok

finish
