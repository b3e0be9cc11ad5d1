#!/usr/bin/env python3
# oscal/vschema_compile.py - the build-time JSON Schema compiler: reads JSON Schema (draft-07)
# documents and writes C tables (types in oscal/vschema.h) that the validation engine
# (oscal/vschema.c) runs. CMake runs it on ../shared/data/oscal/schemas/*/oscal_complete_schema.json
# and writes build/generated/oscal_schemas.c; the schemas themselves are never copied into the
# repository. The test suite also runs it on the JSON-Schema-Test-Suite (--suite).
#
# What it does: resolves every "$ref" ("#", "#/json/pointer", "#plain-name" via "$id") to a node
# index, drops annotations, sorts properties for binary search, translates "pattern" from
# ECMA-262 to PCRE2, and refuses (exit 1) any keyword the engine does not implement, so no
# constraint is ever silently ignored. Only the Python standard library is used.
import argparse
import json
import math
import os
import re
import sys

ANNOTATIONS = {
    "title", "description", "$comment", "$schema", "$id", "examples", "default", "format",
    "contentEncoding", "contentMediaType", "readOnly", "writeOnly", "definitions",
}
TYPE_BITS = {"null": 1, "boolean": 2, "object": 4, "array": 8, "number": 16, "string": 32,
             "integer": 64}
F_FALSE, F_ADDL_FALSE, F_MINIMUM, F_MAXIMUM, F_XMINIMUM, F_XMAXIMUM, F_UNIQUE = (
    1, 2, 4, 8, 16, 32, 64)


class Unsupported(Exception):
    pass


# ECMA-262 white space and line terminators (what \s matches in JavaScript).
ECMA_SPACE = (r"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}"
              r"\x{205F}\x{3000}\x{FEFF}")


def translate_pattern(src):
    """ECMA-262 (with the u flag, as JSON Schema validators use it) to PCRE2 with PCRE2_UTF and
    PCRE2_DOLLAR_ENDONLY. The differences that matter: '.' excludes only \\n \\r U+2028 U+2029;
    \\d \\w are ASCII-only and \\s is Unicode white space; '$' matches only at the very end;
    [] matches nothing and [^] anything; \\uXXXX and \\u{X} escapes; \\p{..} is kept."""
    out = []
    i, n = 0, len(src)
    in_class = False
    while i < n:
        c = src[i]
        if c == "\\":
            if i + 1 >= n:
                raise Unsupported("pattern ends with a backslash: %r" % src)
            e = src[i + 1]
            i += 2
            if e == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif e == "D":
                if in_class:
                    raise Unsupported("\\D inside a character class: %r" % src)
                out.append("[^0-9]")
            elif e == "w":
                out.append("A-Za-z0-9_" if in_class else "[A-Za-z0-9_]")
            elif e == "W":
                if in_class:
                    raise Unsupported("\\W inside a character class: %r" % src)
                out.append("[^A-Za-z0-9_]")
            elif e == "s":
                out.append(ECMA_SPACE if in_class else "[" + ECMA_SPACE + "]")
            elif e == "S":
                if in_class:
                    raise Unsupported("\\S inside a character class: %r" % src)
                out.append("[^" + ECMA_SPACE + "]")
            elif e == "u":
                if i < n and src[i] == "{":
                    j = src.index("}", i)
                    out.append("\\x{" + src[i + 1:j] + "}")
                    i = j + 1
                else:
                    hexd = src[i:i + 4]
                    if not re.fullmatch(r"[0-9A-Fa-f]{4}", hexd):
                        raise Unsupported("bad \\u escape in %r" % src)
                    out.append("\\x{" + hexd + "}")
                    i += 4
            elif e in "pP":
                if i >= n or src[i] != "{":
                    raise Unsupported("\\%s without {..} in %r" % (e, src))
                j = src.index("}", i)
                out.append("\\" + e + src[i:j + 1])
                i = j + 1
            elif e == "/":
                out.append("/")
            else:
                out.append("\\" + e)
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "[":
                out.append("\\[")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            if src.startswith("[]", i):
                out.append("(?!)")
                i += 2
                continue
            if src.startswith("[^]", i):
                out.append("[\\s\\S]")
                i += 3
                continue
            in_class = True
            out.append("[")
            i += 1
            if i < n and src[i] == "^":
                out.append("^")
                i += 1
            continue
        if c == ".":
            out.append("[^\\n\\r\\x{2028}\\x{2029}]")
        else:
            out.append(c)
        i += 1
    if in_class:
        raise Unsupported("unterminated character class in %r" % src)
    return "".join(out)


def unescape_pointer_token(t):
    t = re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), t)
    return t.replace("~1", "/").replace("~0", "~")


def escape_pointer_token(t):
    return str(t).replace("~", "~0").replace("/", "~1")


class SchemaSet:
    def __init__(self, name, file, root):
        self.name, self.file, self.root = name, file, root
        self.nodes = []          # dicts of fields
        self.memo = {}           # id(schema object) -> node index
        self.alias_busy = set()  # $ref chains being resolved (cycle detection)
        self.props, self.names, self.kids, self.values, self.patterns = [], [], [], [], []
        self.pattern_index = {}
        self.ids = {}
        self._index_ids(root, "#")
        self.root_index = self.compile(root, "#")

    def _index_ids(self, s, loc):
        if isinstance(s, dict):
            sid = s.get("$id")
            if isinstance(sid, str) and sid.startswith("#"):
                self.ids.setdefault(sid, (s, loc))
            for k, v in s.items():
                if k in ("enum", "const", "examples", "default"):
                    continue
                self._index_ids(v, loc + "/" + escape_pointer_token(k))
        elif isinstance(s, list):
            for i, v in enumerate(s):
                self._index_ids(v, loc + "/" + str(i))

    def resolve(self, ref):
        if ref == "#":
            return self.root, "#"
        if ref.startswith("#/"):
            cur, loc = self.root, "#"
            for tok in ref[2:].split("/"):
                tok = unescape_pointer_token(tok)
                if isinstance(cur, list):
                    cur = cur[int(tok)]
                elif isinstance(cur, dict) and tok in cur:
                    cur = cur[tok]
                else:
                    raise Unsupported("unresolvable $ref %r" % ref)
                loc += "/" + escape_pointer_token(tok)
            return cur, loc
        if ref.startswith("#") and ref in self.ids:
            return self.ids[ref]
        raise Unsupported("$ref %r is not within the document" % ref)

    def value(self, v):
        if v is None:
            return {"type": 1}
        if isinstance(v, bool):
            return {"type": 2, "boolean": int(v)}
        if isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                raise Unsupported("non-finite number in enum/const")
            return {"type": 16, "num": float(v)}
        if isinstance(v, str):
            return {"type": 32, "str": v}
        raise Unsupported("enum/const with an array or object value")

    def compile(self, s, loc):
        key = id(s)
        if key in self.memo:
            return self.memo[key]
        if isinstance(s, dict) and "$ref" in s:
            # draft-07: a $ref makes its siblings irrelevant, so the node is an alias
            if key in self.alias_busy:
                raise Unsupported("$ref cycle without a value in between at %s" % loc)
            self.alias_busy.add(key)
            target, tloc = self.resolve(s["$ref"])
            idx = self.compile(target, tloc)
            self.alias_busy.discard(key)
            self.memo[key] = idx
            return idx
        idx = len(self.nodes)
        node = {"loc": loc}
        self.nodes.append(node)
        self.memo[key] = idx
        if s is True:
            return idx
        if s is False:
            node["flags"] = F_FALSE
            return idx
        if not isinstance(s, dict):
            raise Unsupported("schema at %s is not an object or boolean" % loc)
        flags = 0
        for k in s:
            if k in ANNOTATIONS:
                continue
            if k not in ("type", "enum", "const", "properties", "required", "additionalProperties",
                         "items", "minItems", "maxItems", "minLength", "maxLength",
                         "minProperties", "maxProperties", "pattern", "minimum", "maximum",
                         "exclusiveMinimum", "exclusiveMaximum", "allOf", "anyOf", "oneOf",
                         "not", "uniqueItems", "additionalItems"):
                raise Unsupported("keyword %r at %s is not implemented" % (k, loc))
        t = s.get("type")
        if t is not None:
            tl = t if isinstance(t, list) else [t]
            mask = 0
            for x in tl:
                mask |= TYPE_BITS[x]
                if x == "number":
                    mask |= TYPE_BITS["integer"]
            node["types"] = mask
        if "enum" in s:
            node["enums"] = len(self.values)
            vals = [self.value(v) for v in s["enum"]]
            self.values.extend(vals)
            node["nenums"] = len(vals)
        if "const" in s:
            node["const"] = len(self.values)
            self.values.append(self.value(s["const"]))
        for kw, field in (("minItems", "min_items"), ("maxItems", "max_items"),
                          ("minLength", "min_length"), ("maxLength", "max_length"),
                          ("minProperties", "min_props"), ("maxProperties", "max_props")):
            if kw in s:
                v = s[kw]
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                if not isinstance(v, int) or isinstance(v, bool) or v < 0 or v > 2**31 - 1:
                    raise Unsupported("%s at %s" % (kw, loc))
                node[field] = v
        for kw, field, flag in (("minimum", "minimum", F_MINIMUM), ("maximum", "maximum", F_MAXIMUM),
                                ("exclusiveMinimum", "xminimum", F_XMINIMUM),
                                ("exclusiveMaximum", "xmaximum", F_XMAXIMUM)):
            if kw in s:
                if isinstance(s[kw], bool) or not isinstance(s[kw], (int, float)):
                    raise Unsupported("%s at %s (draft-04 boolean form?)" % (kw, loc))
                node[field] = float(s[kw])
                flags |= flag
        if s.get("uniqueItems") is True:
            flags |= F_UNIQUE
        if "pattern" in s:
            p = s["pattern"]
            if p not in self.pattern_index:
                self.pattern_index[p] = len(self.patterns)
                self.patterns.append((p, translate_pattern(p)))
            node["pattern"] = self.pattern_index[p]
        if "required" in s:
            node["required"] = len(self.names)
            self.names.extend(s["required"])
            node["nrequired"] = len(s["required"])
        if "properties" in s:
            entries = []
            for name, sub in s["properties"].items():
                sidx = self.compile(sub, loc + "/properties/" + escape_pointer_token(name))
                entries.append((len(name.encode()), name.encode(), name, sidx))
            entries.sort()
            node["props"] = len(self.props)
            self.props.extend((e[2], e[3]) for e in entries)
            node["nprops"] = len(entries)
        if "additionalProperties" in s:
            a = s["additionalProperties"]
            if a is False:
                flags |= F_ADDL_FALSE
            elif a is not True:
                node["additional"] = self.compile(a, loc + "/additionalProperties")
        if "items" in s:
            it = s["items"]
            if isinstance(it, list):
                raise Unsupported("items as an array (tuple validation) at %s" % loc)
            node["items"] = self.compile(it, loc + "/items")
        for kw, field in (("allOf", "all_of"), ("anyOf", "any_of"), ("oneOf", "one_of")):
            if kw in s:
                subs = [self.compile(x, "%s/%s/%d" % (loc, kw, i)) for i, x in enumerate(s[kw])]
                node[field] = len(self.kids)
                node["n" + field] = len(subs)
                self.kids.extend(subs)
        if "not" in s:
            node["not"] = self.compile(s["not"], loc + "/not")
        node["flags"] = flags
        return idx


def c_str(s):
    out = ['"']
    for b in s.encode("utf-8"):
        ch = chr(b)
        if ch in '"\\?':
            out.append("\\" + ch)
        elif 0x20 <= b < 0x7F:
            out.append(ch)
        else:
            out.append("\\%03o" % b)
    out.append('"')
    return "".join(out)


def c_double(x):
    r = repr(float(x))
    return r if ("." in r or "e" in r or "inf" in r) else r + ".0"


def emit_set(w, sym, ss):
    w("static const tr_vs_node %s_nodes[] = {\n" % sym)
    for nd in ss.nodes:
        w(
          "    {.types = %d, .flags = %d, .pattern = %d, .props = %d, .nprops = %d,"
          " .required = %d, .nrequired = %d, .additional = %d, .items = %d, .all_of = %d,"
          " .nall_of = %d, .any_of = %d, .nany_of = %d, .one_of = %d, .none_of = %d,"
          " .not_schema = %d, .enums = %d, .nenums = %d, .const_value = %d, .min_items = %d,"
          " .max_items = %d, .min_length = %d, .max_length = %d, .min_props = %d,"
          " .max_props = %d, .minimum = %s, .maximum = %s, .xminimum = %s, .xmaximum = %s,"
          " .loc = %s},\n" % (
              nd.get("types", 0), nd.get("flags", 0), nd.get("pattern", -1),
              nd.get("props", 0), nd.get("nprops", 0), nd.get("required", 0),
              nd.get("nrequired", 0), nd.get("additional", -1), nd.get("items", -1),
              nd.get("all_of", 0), nd.get("nall_of", 0), nd.get("any_of", 0),
              nd.get("nany_of", 0), nd.get("one_of", 0), nd.get("none_of", 0),
              nd.get("not", -1), nd.get("enums", 0), nd.get("nenums", 0), nd.get("const", -1),
              nd.get("min_items", -1), nd.get("max_items", -1), nd.get("min_length", -1),
              nd.get("max_length", -1), nd.get("min_props", -1), nd.get("max_props", -1),
              c_double(nd.get("minimum", 0)), c_double(nd.get("maximum", 0)),
              c_double(nd.get("xminimum", 0)), c_double(nd.get("xmaximum", 0)),
              c_str(nd["loc"])))
    w("};\n")
    w("static const tr_vs_prop %s_props[] = {\n" % sym)
    for name, sidx in ss.props:
        w("    {%s, %d, %d},\n" % (c_str(name), len(name.encode()), sidx))
    w("    {NULL, 0, 0}\n};\n")
    w("static const char *const %s_names[] = {\n" % sym)
    for name in ss.names:
        w("    %s,\n" % c_str(name))
    w("    NULL\n};\n")
    w("static const int32_t %s_kids[] = {%s};\n" % (sym, ", ".join(map(str, ss.kids + [-1]))))
    w("static const tr_vs_value %s_values[] = {\n" % sym)
    for v in ss.values:
        s = v.get("str")
        w("    {%d, %d, %d, %s, %s},\n" % (v["type"], v.get("boolean", 0),
                                         len(s.encode()) if s is not None else 0,
                                         c_str(s) if s is not None else "NULL",
                                         c_double(v.get("num", 0))))
    w("    {0, 0, 0, NULL, 0.0}\n};\n")
    w("static const tr_vs_pattern %s_patterns[] = {\n" % sym)
    for src, pcre in ss.patterns:
        w("    {%s, %s},\n" % (c_str(src), c_str(pcre)))
    w("    {NULL, NULL}\n};\n")
    w("static const tr_vs_set %s = {%s, %s, %d, %s_nodes, %d, %s_props, %s_names, %s_kids,"
      " %s_values, %s_patterns, %d};\n\n" % (
          sym, c_str(ss.name), c_str(ss.file), ss.root_index, sym, len(ss.nodes), sym, sym, sym,
          sym, sym, len(ss.patterns)))


def version_key(v):
    return tuple(int(x) for x in re.findall(r"\d+", v))


def write_file(path, text):
    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


HEADER = ("/* Generated by src/oscal/vschema_compile.py from %s. Do not edit; not in git. */\n"
          "#include \"oscal/vschema.h\"\n\n")


def compile_oscal(schema_dir, out):
    parts = []
    w = parts.append
    w(HEADER % "the OSCAL JSON schemas")
    sets = []
    versions = []
    if os.path.isdir(schema_dir):
        for d in os.listdir(schema_dir):
            if re.fullmatch(r"v?\d+\.\d+\.\d+", d) and os.path.isfile(
                    os.path.join(schema_dir, d, "oscal_complete_schema.json")):
                versions.append(d)
    versions.sort(key=version_key)
    for i, d in enumerate(versions):
        path = os.path.join(schema_dir, d, "oscal_complete_schema.json")
        with open(path, encoding="utf-8") as f:
            root = json.load(f)
        try:
            ss = SchemaSet(d.lstrip("v"), "oscal_complete_schema.json", root)
        except Unsupported as e:
            sys.exit("vschema_compile: %s: %s" % (path, e))
        sym = "oscal_%d" % i
        emit_set(w, sym, ss)
        sets.append(sym)
    w("const tr_vs_set *const tr_vs_oscal_sets[] = {%s};\n" %
      ", ".join(["&" + s for s in sets] + ["NULL"]))
    w("const size_t tr_vs_oscal_count = %d;\n" % len(sets))
    missing = "" if sets else (
        "no OSCAL JSON schema was compiled into trustreg: none was found at build time in "
        "../shared/data/oscal/schemas (rebuild with the schemas in place)")
    w("const char tr_vs_oscal_missing[] = %s;\n" % c_str(missing))
    write_file(out, "".join(parts))


def compile_suite(suite_dir, out):
    """Every test group of the draft-07 JSON-Schema-Test-Suite whose schema uses only what the
    engine implements; writes a C table and prints what was skipped and why."""
    parts = []
    w = parts.append
    w(HEADER % "the JSON-Schema-Test-Suite (draft7)")
    entries = []
    skipped = []
    for fn in sorted(os.listdir(suite_dir) if os.path.isdir(suite_dir) else []):
        if not fn.endswith(".json"):
            continue
        with open(os.path.join(suite_dir, fn), encoding="utf-8") as f:
            groups = json.load(f)
        for gi, g in enumerate(groups):
            try:
                ss = SchemaSet("%s#%d" % (fn, gi), fn, g["schema"])
            except (Unsupported, KeyError, ValueError, IndexError) as e:
                skipped.append("%s#%d (%s): %s" % (fn, gi, g.get("description", ""), e))
                continue
            sym = "suite_%d" % len(entries)
            emit_set(w, sym, ss)
            entries.append((sym, fn, gi))
    w("typedef struct tr_vs_suite_case { const tr_vs_set *set; const char *file; int group; }"
      " tr_vs_suite_case;\n")
    w("const tr_vs_suite_case tr_vs_suite[] = {\n")
    for sym, fn, gi in entries:
        w("    {&%s, %s, %d},\n" % (sym, c_str(fn), gi))
    w("    {NULL, NULL, 0}\n};\n")
    w("const size_t tr_vs_suite_count = %d;\n" % len(entries))
    w("const char *const tr_vs_suite_skipped[] = {\n")
    for s in skipped:
        w("    %s,\n" % c_str(s))
    w("    NULL\n};\n")
    write_file(out, "".join(parts))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--suite", action="store_true",
                    help="DIR is a JSON-Schema-Test-Suite tests/draft7 folder")
    ap.add_argument("dir")
    a = ap.parse_args()
    if a.suite:
        compile_suite(a.dir, a.out)
    else:
        compile_oscal(a.dir, a.out)


if __name__ == "__main__":
    main()
