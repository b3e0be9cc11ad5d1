#!/usr/bin/env python3
# tests/e2e/validate_oracle.py - differential test of `trustreg validate --schema-only` against
# the Python jsonschema package (a test oracle only; trustreg never uses it).
#
# Deterministic: a fixed seed mutates real OSCAL documents from ../shared/data/oscal (wrong types,
# deleted and added members, emptied and duplicated arrays, strings that break patterns, ...),
# writes each mutation to a folder, runs trustreg once over all of them with --json, validates
# each with jsonschema's Draft7Validator against the schema version trustreg chose, and fails when
# the two disagree on valid/invalid.
#
# JSON Schema patterns are ECMA-262; Python's re differs in ways these schemas reach, so the
# oracle's "pattern" keyword translates first: \p{L} -> [^\W\d_], \p{N} -> \d (Python has no
# \p{..}), and a final '$' -> \Z (Python's '$' also matches before a trailing newline). The
# mutations use no characters where the remaining differences (\r and U+2028 for '.') matter.
#
# Usage: validate_oracle.py TRUSTREG SHARED_DATA WORKDIR [COUNT]
import json
import os
import random
import re
import subprocess
import sys

import jsonschema
from jsonschema import validators

SEED = 20240607
BASES = [
    "examples/catalog/json/basic-catalog.json",
    "examples/ssp/json/ssp-example.json",
    "examples/ssp/json/ifa_ssp-example.json",
    "examples/ssp/json/oscal_leveraging-example_ssp.json",
    "examples/ap/json/ifa_assessment-plan-example.json",
    "examples/ar/json/ifa_assessment-results-example.json",
    "examples/poam/json/ifa_plan-of-action-and-milestones.json",
    "examples/component-definition/json/example-component.json",
    "examples/component-definition/json/example-component-definition.json",
    "NIST_SP-800-53_rev5_LOW-baseline_profile.json",
    "NIST_SP-800-53_rev4_LOW-baseline_profile.json",
    "nist-rev5-5.1.1-profiles/NIST_SP-800-53_rev5_PRIVACY-baseline_profile.json",
]

STRINGS = ["", " leading", "trailing ", "two words", "x\n", "\u00fcber_ok", "1abc", "_x.y-z",
           "a:b", "mailto:someone@example.org", "not-a-uuid", "2021-02-29T00:00:00Z",
           "2020-02-29T12:00:00Z", "2021-06-08T25:00:00Z", "2021-06-08", "one", "yes", "keep",
           "organization", "robot", "QUJD", "AB=C"]
OTHERS = [5, -1, 1.5, 0, True, False, None, {}, [], "x", {"a": 1}, [1]]


def ecma_pattern(p):
    p = p.replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{N}", r"\d")
    if p.endswith("$") and not p.endswith("\\$"):
        p = p[:-1] + r"\Z"
    return p


def pattern(validator, patrn, instance, schema):
    if validator.is_type(instance, "string") and not re.search(ecma_pattern(patrn), instance):
        yield jsonschema.ValidationError("%r does not match %r" % (instance, patrn))


Oracle = validators.extend(jsonschema.Draft7Validator, {"pattern": pattern})


def paths(v, prefix=()):
    yield prefix, v
    if isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, prefix + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, prefix + (i,))


def replace(doc, path, new):
    if not path:
        return new
    cur = doc
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = new
    return doc


def mutate(rng, doc):
    all_paths = [(p, v) for p, v in paths(doc) if len(p) >= 2]
    path, v = rng.choice(all_paths)
    if path[-1] == "oscal-version":
        return None, None  # would change which schema applies; covered by the unit tests
    doc = json.loads(json.dumps(doc))
    kind = rng.randrange(4)
    if isinstance(v, dict) and kind == 0 and v:
        cur = doc
        for p in path:
            cur = cur[p]
        key = rng.choice(sorted(cur))
        del cur[key]
        return doc, "delete %s/%s" % ("/".join(map(str, path)), key)
    if isinstance(v, dict) and kind == 1:
        cur = doc
        for p in path:
            cur = cur[p]
        cur[rng.choice(["extra", "remarks", "props", "uuid", "title"])] = rng.choice(OTHERS + STRINGS)
        return doc, "add member at %s" % "/".join(map(str, path))
    if isinstance(v, list) and kind == 0:
        return replace(doc, path, []), "empty %s" % "/".join(map(str, path))
    if isinstance(v, list) and kind == 1 and v:
        return replace(doc, path, v + [v[0]]), "duplicate item in %s" % "/".join(map(str, path))
    if isinstance(v, str) and kind <= 2:
        s = rng.choice(STRINGS)
        if kind == 2 and len(v) > 3:
            i = rng.randrange(len(v))
            s = v[:i] + rng.choice("gZ -_.5") + v[i + 1:]
        return replace(doc, path, s), "string %r at %s" % (s, "/".join(map(str, path)))
    new = rng.choice(OTHERS + STRINGS)
    return replace(doc, path, new), "value %r at %s" % (new, "/".join(map(str, path)))


def main():
    trustreg, shared, work = sys.argv[1], sys.argv[2], sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 400
    rng = random.Random(SEED)
    oscal = os.path.join(shared, "oscal")
    os.makedirs(work, exist_ok=True)
    docs = {b: json.load(open(os.path.join(oscal, b), encoding="utf-8")) for b in BASES}
    cases = {}
    for b in BASES:  # the originals themselves
        path = os.path.join(work, "orig-%02d.json" % len(cases))
        json.dump(docs[b], open(path, "w", encoding="utf-8"))
        cases[path] = (b, "original")
    n = 0
    while n < count:
        b = BASES[n % len(BASES)]
        mutated, what = mutate(rng, docs[b])
        if mutated is None:
            continue
        path = os.path.join(work, "m%03d.json" % n)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(mutated, f, ensure_ascii=False, indent=1)
        cases[path] = (b, what)
        n += 1
    files = sorted(cases)
    r = subprocess.run([trustreg, "validate", "--schema-only", "--json"] + files,
                       capture_output=True, text=True)
    if r.returncode not in (0, 2):
        sys.exit("trustreg failed (%d): %s" % (r.returncode, r.stderr))
    results = {x["file"]: x for x in json.loads(r.stdout)}
    schemas = {}
    agree = disagree = valid = 0
    for path in files:
        res = results.get(path)
        if res is None:
            sys.exit("no result for %s: %s" % (path, r.stderr))
        ver = res["schema_version"]
        if ver not in schemas:
            with open(os.path.join(oscal, "schemas", "v" + ver, "oscal_complete_schema.json"),
                      encoding="utf-8") as f:
                schemas[ver] = Oracle(json.load(f))
        doc = json.load(open(path, encoding="utf-8"))
        errors = list(schemas[ver].iter_errors(doc))
        oracle_valid = not errors
        valid += oracle_valid
        if oracle_valid == res["valid"]:
            agree += 1
            continue
        disagree += 1
        base, what = cases[path]
        print("DISAGREE %s (%s, %s, schema %s): trustreg %s, jsonschema %s" % (
            path, base, what, ver, "valid" if res["valid"] else "invalid",
            "valid" if oracle_valid else "invalid"))
        for e in res["errors"][:3]:
            print("  trustreg: %s: expected %s, found %s" % (e["pointer"], e["expected"], e["found"]))
        for e in errors[:3]:
            print("  jsonschema: /%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:200]))
    print("%d documents (%d valid, %d invalid per jsonschema): %d agree, %d disagree" % (
        len(files), valid, len(files) - valid, agree, disagree))
    sys.exit(1 if disagree else 0)


if __name__ == "__main__":
    main()
