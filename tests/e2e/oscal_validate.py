#!/usr/bin/env python3
"""oscal_validate.py SCHEMA DOC - validate an OSCAL JSON document against the official JSON schema
(draft 7, python3-jsonschema). OSCAL patterns use \\p{L}/\\p{N}, which Python's re lacks: patterns
are checked with the regex module when present, else skipped (said on stderr). Exit 1 on errors."""
import json
import sys

import jsonschema

try:
    import regex
except ImportError:  # Debian: python3-regex
    regex = None
    print("oscal_validate: regex module missing, patterns not checked", file=sys.stderr)


def pattern(validator, pat, inst, schema):
    if regex is not None and isinstance(inst, str) and not regex.search(pat, inst):
        yield jsonschema.ValidationError("%r does not match %r" % (inst, pat))


schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
cls = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": pattern})
errs = list(cls(schema).iter_errors(doc))
for e in errs[:10]:
    print("/" + "/".join(map(str, e.absolute_path)), e.message[:300])
sys.exit(1 if errs else 0)
