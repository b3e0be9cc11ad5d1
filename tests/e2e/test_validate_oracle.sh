#!/bin/bash
# tests/e2e/test_validate_oracle.sh - trustreg validate agrees with the Python jsonschema package
# (test oracle only) on valid/invalid for a few hundred deterministic mutations of real OSCAL
# documents (see validate_oracle.py). Uses whichever python3 has jsonschema: the one on PATH, or
# Debian's /usr/bin/python3 with python3-jsonschema (scripts/install-deps installs it).
. "$(dirname "$0")/lib.sh"

PY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import jsonschema' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
    echo "SKIP: no python3 with the jsonschema package (apt-get install python3-jsonschema)"
    exit 77
fi
if "$PY" "$(dirname "$0")/validate_oracle.py" "$TRUSTREG" "$TRUSTREG_SHARED_DATA" "$TMP/mut" 400; then
    pass
else
    fail "trustreg and jsonschema disagree (see above)"
fi
finish
