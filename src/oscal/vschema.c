/*
 * oscal/vschema.c - the JSON Schema engine: runs a compiled schema set (oscal/vschema.h, tables
 * written at build time by oscal/vschema_compile.py) over a document parsed by the flat reader.
 *
 * check() validates one instance node against one schema node. In "loud" mode it records every
 * violation and keeps going; in "quiet" mode (inside anyOf / oneOf / not) it stops at the first
 * violation and only remembers the instance node where it happened. When no alternative of an
 * anyOf/oneOf matches, the alternative that got furthest into the document (largest failing
 * node) is run again loudly, so users see the real, deep error ("/catalog/groups/3/id: expected
 * a string matching ...") rather than "matches none of 7 alternatives". Object members are
 * checked in two passes: names first (additionalProperties, required: cheap, and what usually
 * tells alternatives apart), values second.
 *
 * Patterns are compiled once per schema set and process with PCRE2 (JIT when available).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "oscal/vschema.h"
#include "util/error.h"
#include "util/mem.h"

#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- compiled patterns, once per set and process --------------------------------------------- */

typedef struct pattern_cache {
    const tr_vs_set *set;
    pcre2_code **codes;
    struct pattern_cache *next;
} pattern_cache;

static pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pattern_cache *g_cache;

static int compile_patterns(const tr_vs_set *set, pcre2_code ***out)
{
    pthread_mutex_lock(&g_cache_lock);
    for (pattern_cache *c = g_cache; c; c = c->next)
        if (c->set == set) {
            *out = c->codes;
            pthread_mutex_unlock(&g_cache_lock);
            return TRUSTREG_OK;
        }
    pattern_cache *c = calloc(1, sizeof *c);
    pcre2_code **codes = calloc(set->npatterns ? set->npatterns : 1, sizeof *codes);
    if (!c || !codes) {
        free(c);
        free(codes);
        pthread_mutex_unlock(&g_cache_lock);
        return tr_error_oom();
    }
    for (uint32_t i = 0; i < set->npatterns; i++) {
        int err;
        PCRE2_SIZE off;
        codes[i] =
            pcre2_compile((PCRE2_SPTR)set->patterns[i].pcre2, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_NO_UTF_CHECK, &err, &off, NULL);
        if (!codes[i]) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            for (uint32_t j = 0; j < i; j++)
                pcre2_code_free(codes[j]);
            free(codes);
            free(c);
            pthread_mutex_unlock(&g_cache_lock);
            return tr_error(TRUSTREG_EINTERNAL,
                            "schema %s: pattern %s cannot be compiled (%s at offset %zu)",
                            set->name, set->patterns[i].source, (const char *)msg, (size_t)off);
        }
        (void)pcre2_jit_compile(codes[i], PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
    }
    c->set = set;
    c->codes = codes;
    c->next = g_cache;
    g_cache = c;
    *out = codes;
    pthread_mutex_unlock(&g_cache_lock);
    return TRUSTREG_OK;
}

/* ---- the engine ------------------------------------------------------------------------------ */

typedef struct vctx {
    const tr_vs_set *set;
    const tr_jdom *dom;
    tr_vs_errors *errs; /* where loud errors go (the report, or a scratch list) */
    tr_vs_errors *main;
    pcre2_code **re;
    pcre2_match_data *md;
    int quiet;          /* > 0: stop at the first violation, record nothing */
    uint32_t fail_node; /* quiet: where the first violation was */
    int depth;
    int rc; /* TRUSTREG_EINTERNAL once something broke (e.g. recursion too deep) */
} vctx;

static int check(vctx *x, int32_t si, uint32_t at);

/* Record a violation (loud) or remember where it happened (quiet); returns 0 (= invalid). */
static int fail(vctx *x, uint32_t at, const char *keyword, const char *loc, char *found,
                const char *fmt, ...) TR_PRINTF(6, 7);
static int fail(vctx *x, uint32_t at, const char *keyword, const char *loc, char *found,
                const char *fmt, ...)
{
    if (x->quiet) {
        if (at > x->fail_node)
            x->fail_node = at;
        free(found);
        return 0;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *expected = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (expected) {
        va_start(ap, fmt);
        vsnprintf(expected, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    if (!found)
        found = tr_vs_describe(x->dom, at);
    tr_vs_errors_add(x->errs, at, keyword, loc, expected, found);
    return 0;
}

static int stopped(const vctx *x)
{
    return x->rc != 0 || (!x->quiet && x->errs == x->main && x->errs->truncated);
}

/* Value of a number node as a double (the text is exact JSON number grammar). */
static double num_value(const tr_jnode *n)
{
    char buf[64];
    if (n->len < sizeof buf) {
        memcpy(buf, n->str, n->len);
        buf[n->len] = '\0';
        return strtod(buf, NULL);
    }
    char *p = malloc((size_t)n->len + 1);
    if (!p)
        return NAN;
    memcpy(p, n->str, n->len);
    p[n->len] = '\0';
    double d = strtod(p, NULL);
    free(p);
    return d;
}

static int is_integral(const tr_jnode *n)
{
    int plain = 1;
    for (uint32_t k = 0; k < n->len; k++)
        if (n->str[k] == '.' || n->str[k] == 'e' || n->str[k] == 'E')
            plain = 0;
    if (plain)
        return 1;
    double d = num_value(n);
    return isfinite(d) && floor(d) == d;
}

static unsigned type_bits(const tr_jnode *n, unsigned wanted)
{
    switch ((tr_jtype)n->type) {
    case TR_J_NULL:
        return TR_VS_T_NULL;
    case TR_J_FALSE:
    case TR_J_TRUE:
        return TR_VS_T_BOOLEAN;
    case TR_J_STRING:
        return TR_VS_T_STRING;
    case TR_J_ARRAY:
        return TR_VS_T_ARRAY;
    case TR_J_OBJECT:
        return TR_VS_T_OBJECT;
    case TR_J_NUMBER:
        if ((wanted & TR_VS_T_INTEGER) && !(wanted & TR_VS_T_NUMBER))
            return is_integral(n) ? (TR_VS_T_NUMBER | TR_VS_T_INTEGER) : TR_VS_T_NUMBER;
        return TR_VS_T_NUMBER | TR_VS_T_INTEGER;
    }
    return 0;
}

static void types_text(tr_buf *b, unsigned types)
{
    static const char *const names[] = {"null",   "boolean", "object", "array",
                                        "number", "string",  "integer"};
    int first = 1;
    for (int i = 0; i < 7; i++) {
        if (!(types & (1u << i)))
            continue;
        if (i == 6 && (types & TR_VS_T_NUMBER))
            continue; /* "number" already covers integers */
        tr_buf_printf(b, "%s%s", first ? "" : " or ", names[i]);
        first = 0;
    }
}

static void value_text(tr_buf *b, const tr_vs_value *v)
{
    switch (v->type) {
    case TR_VS_T_NULL:
        tr_buf_puts(b, "null");
        break;
    case TR_VS_T_BOOLEAN:
        tr_buf_puts(b, v->boolean ? "true" : "false");
        break;
    case TR_VS_T_NUMBER:
        tr_buf_printf(b, "%.17g", v->num);
        break;
    default:
        tr_vs_put_quoted(b, v->str, v->len, 200);
    }
}

static int value_equal(const tr_jdom *dom, uint32_t at, const tr_vs_value *v)
{
    const tr_jnode *n = &dom->nodes[at];
    switch (v->type) {
    case TR_VS_T_NULL:
        return n->type == TR_J_NULL;
    case TR_VS_T_BOOLEAN:
        return n->type == (v->boolean ? TR_J_TRUE : TR_J_FALSE);
    case TR_VS_T_NUMBER:
        return n->type == TR_J_NUMBER && num_value(n) == v->num;
    case TR_VS_T_STRING:
        return n->type == TR_J_STRING && n->len == v->len && memcmp(n->str, v->str, v->len) == 0;
    }
    return 0;
}

/* JSON equality of two subtrees (numbers by value, object members in any order). */
static int same_value(const tr_jdom *dom, uint32_t a, uint32_t b)
{
    const tr_jnode *na = &dom->nodes[a], *nb = &dom->nodes[b];
    if (na->type != nb->type)
        return 0;
    switch ((tr_jtype)na->type) {
    case TR_J_NUMBER:
        return num_value(na) == num_value(nb);
    case TR_J_STRING:
        return na->len == nb->len && memcmp(na->str, nb->str, na->len) == 0;
    case TR_J_ARRAY: {
        if (na->len != nb->len)
            return 0;
        uint32_t u = tr_jdom_first(dom, a), v = tr_jdom_first(dom, b);
        for (; u != TR_JNONE && v != TR_JNONE;
             u = tr_jdom_next(dom, a, u), v = tr_jdom_next(dom, b, v))
            if (!same_value(dom, u, v))
                return 0;
        return 1;
    }
    case TR_J_OBJECT: {
        if (na->len != nb->len)
            return 0;
        for (uint32_t k = tr_jdom_first(dom, a); k != TR_JNONE;
             k = tr_jdom_next_member(dom, a, k)) {
            uint32_t w = tr_jdom_get(dom, b, dom->nodes[k].str);
            if (w == TR_JNONE || !same_value(dom, k + 1, w))
                return 0;
        }
        return 1;
    }
    default:
        return 1;
    }
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int find_prop(const tr_vs_set *set, const tr_vs_node *nd, const char *key, uint32_t len)
{
    uint32_t lo = 0, hi = nd->nprops;
    const tr_vs_prop *p = set->props + nd->props;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        int c = p[mid].len < len ? -1 : p[mid].len > len ? 1 : memcmp(p[mid].name, key, len);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int check_string(vctx *x, const tr_vs_node *nd, uint32_t at)
{
    const tr_jnode *n = &x->dom->nodes[at];
    int ok = 1;
    if (nd->min_length >= 0 || nd->max_length >= 0) {
        size_t chars = utf8_chars(n->str, n->len);
        if (nd->min_length >= 0 && chars < (size_t)nd->min_length)
            ok = fail(x, at, "minLength", nd->loc, NULL, "a string of at least %d characters",
                      nd->min_length);
        if (nd->max_length >= 0 && chars > (size_t)nd->max_length)
            ok = fail(x, at, "maxLength", nd->loc, NULL, "a string of at most %d characters",
                      nd->max_length);
        if (!ok && x->quiet)
            return 0;
    }
    if (nd->pattern >= 0) {
        pcre2_code *re = x->re[nd->pattern];
        int r = pcre2_match(re, (PCRE2_SPTR)n->str, n->len, 0, PCRE2_NO_UTF_CHECK, x->md, NULL);
        if (r < 0 && r != PCRE2_ERROR_NOMATCH) {
            x->rc = tr_error(TRUSTREG_EINTERNAL, "pattern %s failed on a string (PCRE2 error %d)",
                             x->set->patterns[nd->pattern].source, r);
            return 0;
        }
        if (r < 0) {
            /* name the datatype when the pattern is a definition's own ("UUIDDatatype") */
            static const char defs[] = "#/definitions/";
            const char *name = "";
            if (strncmp(nd->loc, defs, sizeof defs - 1) == 0 &&
                !strchr(nd->loc + sizeof defs - 1, '/'))
                name = nd->loc + sizeof defs - 1;
            ok = fail(x, at, "pattern", nd->loc, NULL, "a string matching %s%s%s%s",
                      x->set->patterns[nd->pattern].source, *name ? " (" : "", name,
                      *name ? ")" : "");
        }
    }
    return ok;
}

static int check_number(vctx *x, const tr_vs_node *nd, uint32_t at)
{
    if (!(nd->flags & (TR_VS_F_MINIMUM | TR_VS_F_MAXIMUM | TR_VS_F_XMINIMUM | TR_VS_F_XMAXIMUM)))
        return 1;
    double d = num_value(&x->dom->nodes[at]);
    int ok = 1;
    if ((nd->flags & TR_VS_F_MINIMUM) && !(d >= nd->minimum))
        ok = fail(x, at, "minimum", nd->loc, NULL, "a number >= %.17g", nd->minimum);
    if (ok && (nd->flags & TR_VS_F_MAXIMUM) && !(d <= nd->maximum))
        ok = fail(x, at, "maximum", nd->loc, NULL, "a number <= %.17g", nd->maximum);
    if (ok && (nd->flags & TR_VS_F_XMINIMUM) && !(d > nd->xminimum))
        ok = fail(x, at, "exclusiveMinimum", nd->loc, NULL, "a number > %.17g", nd->xminimum);
    if (ok && (nd->flags & TR_VS_F_XMAXIMUM) && !(d < nd->xmaximum))
        ok = fail(x, at, "exclusiveMaximum", nd->loc, NULL, "a number < %.17g", nd->xmaximum);
    return ok;
}

static int check_array(vctx *x, const tr_vs_node *nd, uint32_t at)
{
    const tr_jdom *dom = x->dom;
    uint32_t count = dom->nodes[at].len;
    int ok = 1;
    if (nd->min_items >= 0 && count < (uint32_t)nd->min_items)
        ok = fail(x, at, "minItems", nd->loc, NULL, "at least %d item%s", nd->min_items,
                  nd->min_items == 1 ? "" : "s");
    if (nd->max_items >= 0 && count > (uint32_t)nd->max_items)
        ok = fail(x, at, "maxItems", nd->loc, NULL, "at most %d item%s", nd->max_items,
                  nd->max_items == 1 ? "" : "s");
    if (!ok && x->quiet)
        return 0;
    if (nd->flags & TR_VS_F_UNIQUE_ITEMS) {
        for (uint32_t u = tr_jdom_first(dom, at); u != TR_JNONE; u = tr_jdom_next(dom, at, u))
            for (uint32_t v = tr_jdom_next(dom, at, u); v != TR_JNONE; v = tr_jdom_next(dom, at, v))
                if (same_value(dom, u, v)) {
                    ok = fail(x, v, "uniqueItems", nd->loc, NULL,
                              "an item different from every earlier item");
                    if (x->quiet)
                        return 0;
                    goto unique_done;
                }
    }
unique_done:
    if (nd->items >= 0) {
        for (uint32_t v = tr_jdom_first(dom, at); v != TR_JNONE; v = tr_jdom_next(dom, at, v)) {
            if (!check(x, nd->items, v)) {
                ok = 0;
                if (x->quiet || stopped(x))
                    return 0;
            }
        }
    }
    return ok;
}

static int check_object(vctx *x, const tr_vs_node *nd, uint32_t at)
{
    const tr_jdom *dom = x->dom;
    const tr_vs_set *set = x->set;
    uint32_t count = dom->nodes[at].len;
    int ok = 1;
    if (nd->min_props >= 0 && count < (uint32_t)nd->min_props)
        ok = fail(x, at, "minProperties", nd->loc, NULL, "at least %d member%s", nd->min_props,
                  nd->min_props == 1 ? "" : "s");
    if (nd->max_props >= 0 && count > (uint32_t)nd->max_props)
        ok = fail(x, at, "maxProperties", nd->loc, NULL, "at most %d member%s", nd->max_props,
                  nd->max_props == 1 ? "" : "s");
    if (!ok && x->quiet)
        return 0;
    if (nd->nprops == 0 && nd->nrequired == 0 && nd->additional < 0 &&
        !(nd->flags & TR_VS_F_ADDL_FALSE))
        return ok;

    /* pass 1: member names (additionalProperties: false, required) */
    uint8_t seen_small[128];
    uint8_t *seen = nd->nprops <= sizeof seen_small ? seen_small : calloc(nd->nprops, 1);
    if (!seen) {
        x->rc = tr_error_oom();
        return 0;
    }
    memset(seen, 0, nd->nprops <= sizeof seen_small ? nd->nprops : 0);
    for (uint32_t k = tr_jdom_first(dom, at); k != TR_JNONE; k = tr_jdom_next_member(dom, at, k)) {
        int pi = find_prop(set, nd, dom->nodes[k].str, dom->nodes[k].len);
        if (pi >= 0) {
            seen[pi] = 1;
        } else if (nd->flags & TR_VS_F_ADDL_FALSE) {
            if (x->quiet) {
                /* counted as failing at the object: a name that is not allowed says this
                 * alternative is the wrong one, not that it got further into the value */
                ok = fail(x, at, "additionalProperties", nd->loc, NULL, "-");
                goto out;
            }
            tr_buf allowed = {0};
            for (uint32_t i = 0; i < nd->nprops; i++)
                tr_buf_printf(&allowed, "%s%s", i ? ", " : "", set->props[nd->props + i].name);
            tr_buf fb = {0};
            tr_buf_puts(&fb, "member ");
            tr_vs_put_quoted(&fb, dom->nodes[k].str, dom->nodes[k].len, 80);
            ok = fail(x, k + 1, "additionalProperties", nd->loc, tr_buf_steal(&fb),
                      "no member of this name (allowed: %s)", allowed.data ? allowed.data : "none");
            tr_buf_free(&allowed);
        }
    }
    for (uint32_t r = 0; r < nd->nrequired; r++) {
        const char *name = set->names[nd->required + r];
        size_t len = strlen(name);
        int pi = find_prop(set, nd, name, (uint32_t)len);
        int present = pi >= 0 ? seen[pi] : tr_jdom_get(dom, at, name) != TR_JNONE;
        if (!present) {
            tr_buf fb = {0};
            tr_buf_puts(&fb, "object without ");
            tr_vs_put_quoted(&fb, name, len, 80);
            ok =
                fail(x, at, "required", nd->loc, tr_buf_steal(&fb), "required member \"%s\"", name);
            if (x->quiet)
                goto out;
        }
    }
    if (!ok && x->quiet)
        goto out;

    /* pass 2: member values */
    for (uint32_t k = tr_jdom_first(dom, at); k != TR_JNONE; k = tr_jdom_next_member(dom, at, k)) {
        int pi = find_prop(set, nd, dom->nodes[k].str, dom->nodes[k].len);
        int32_t sub = pi >= 0 ? set->props[nd->props + (uint32_t)pi].schema : nd->additional;
        if (sub >= 0 && !check(x, sub, k + 1)) {
            ok = 0;
            if (x->quiet || stopped(x))
                goto out;
        }
    }
out:
    if (seen != seen_small)
        free(seen);
    return ok;
}

/* Run schema si quietly: 1 when valid; *where = the furthest node a violation was found at.
 * x->fail_node is left as it was. */
static int probe(vctx *x, int32_t si, uint32_t at, uint32_t *where)
{
    uint32_t saved = x->fail_node;
    x->quiet++;
    x->fail_node = at;
    int r = check(x, si, at);
    *where = x->fail_node;
    x->quiet--;
    x->fail_node = saved; /* the caller decides whether this counts as a failure */
    return r;
}

/*
 * No alternative matched (anyOf/oneOf). Loud mode: when some alternative got past this node,
 * report that alternative's own errors; otherwise one error listing what each alternative
 * expected of this value.
 */
static int report_alternatives(vctx *x, const tr_vs_node *nd, uint32_t at, const char *keyword,
                               uint32_t first, uint32_t n, uint32_t best, uint32_t best_where)
{
    if (x->quiet)
        return fail(x, best_where, keyword, nd->loc, NULL, "-");
    if (best_where > at)
        return check(x, x->set->kids[first + best], at), 0;
    tr_buf b = {0};
    tr_vs_errors scratch = {.max = 8};
    tr_vs_errors *saved = x->errs;
    for (uint32_t i = 0; i < n; i++) {
        scratch.n = 0;
        x->errs = &scratch;
        check(x, x->set->kids[first + i], at);
        x->errs = saved;
        int any = 0;
        for (size_t j = 0; j < scratch.n; j++) {
            if (scratch.v[j].node != at || !scratch.v[j].expected)
                continue;
            tr_buf_printf(&b, "%s%s", b.len ? (any ? " and " : " or ") : "", scratch.v[j].expected);
            any = 1;
        }
        tr_vs_errors_free(&scratch);
        scratch.max = 8;
    }
    char *exp = tr_buf_steal(&b);
    fail(x, at, keyword, nd->loc, NULL, "%s", exp && *exp ? exp : "one of the alternatives");
    free(exp);
    return 0;
}

static int check_combinators(vctx *x, const tr_vs_node *nd, uint32_t at)
{
    const int32_t *kids = x->set->kids;
    int ok = 1;
    for (uint32_t i = 0; i < nd->nall_of; i++)
        if (!check(x, kids[nd->all_of + i], at)) {
            ok = 0;
            if (x->quiet || stopped(x))
                return 0;
        }
    if (nd->nany_of) {
        uint32_t best = 0, best_where = 0;
        int matched = 0;
        for (uint32_t i = 0; i < nd->nany_of && !matched; i++) {
            uint32_t where;
            if (probe(x, kids[nd->any_of + i], at, &where))
                matched = 1;
            else if (i == 0 || where > best_where) {
                best = i;
                best_where = where;
            }
        }
        if (!matched) {
            ok = report_alternatives(x, nd, at, "anyOf", nd->any_of, nd->nany_of, best, best_where);
            if (x->quiet)
                return 0;
        }
    }
    if (nd->none_of) {
        uint32_t best = 0, best_where = 0, matches = 0, m1 = 0, m2 = 0;
        for (uint32_t i = 0; i < nd->none_of && matches < 2; i++) {
            uint32_t where;
            if (probe(x, kids[nd->one_of + i], at, &where)) {
                if (matches++ == 0)
                    m1 = i;
                else
                    m2 = i;
            } else if (i == 0 || where > best_where) {
                best = i;
                best_where = where;
            }
        }
        if (matches == 0) {
            ok = report_alternatives(x, nd, at, "oneOf", nd->one_of, nd->none_of, best, best_where);
        } else if (matches > 1) {
            char *found = NULL;
            if (!x->quiet) {
                tr_buf fb = {0};
                tr_buf_printf(&fb, "a value matching alternatives %u and %u", m1, m2);
                found = tr_buf_steal(&fb);
            }
            ok = fail(x, at, "oneOf", nd->loc, found, "a value matching exactly one alternative");
        }
        if (!ok && x->quiet)
            return 0;
    }
    if (nd->not_schema >= 0) {
        uint32_t where;
        if (probe(x, nd->not_schema, at, &where))
            ok = fail(x, at, "not", nd->loc, NULL, "a value not matching the schema at %s",
                      x->set->nodes[nd->not_schema].loc);
    }
    return ok;
}

static int check(vctx *x, int32_t si, uint32_t at)
{
    const tr_vs_node *nd = &x->set->nodes[si];
    const tr_jnode *n = &x->dom->nodes[at];
    if (stopped(x))
        return 0;
    if (nd->flags & TR_VS_F_FALSE)
        return fail(x, at, "false", nd->loc, NULL, "nothing (the schema here is false)");
    if (++x->depth > 4096) {
        x->depth--;
        x->rc = tr_error(TRUSTREG_EINTERNAL, "schema %s: recursion too deep at %s", x->set->name,
                         nd->loc);
        return 0;
    }
    int ok = 1;
    if (nd->types && !(type_bits(n, nd->types) & nd->types)) {
        tr_buf b = {0};
        types_text(&b, nd->types);
        ok = fail(x, at, "type", nd->loc, NULL, "%s", b.data ? b.data : "?");
        tr_buf_free(&b);
        goto done;
    }
    if (nd->nenums) {
        const tr_vs_value *v = x->set->values + nd->enums;
        uint32_t i = 0;
        while (i < nd->nenums && !value_equal(x->dom, at, &v[i]))
            i++;
        if (i == nd->nenums) {
            if (x->quiet) {
                ok = fail(x, at, "enum", nd->loc, NULL, "-");
                goto done;
            }
            tr_buf b = {0};
            for (i = 0; i < nd->nenums; i++) {
                tr_buf_puts(&b, i ? ", " : "one of ");
                value_text(&b, &v[i]);
            }
            ok = fail(x, at, "enum", nd->loc, NULL, "%s", b.data ? b.data : "?");
            tr_buf_free(&b);
        }
    }
    if (nd->const_value >= 0 && !value_equal(x->dom, at, &x->set->values[nd->const_value])) {
        tr_buf b = {0};
        value_text(&b, &x->set->values[nd->const_value]);
        ok = fail(x, at, "const", nd->loc, NULL, "the value %s", b.data ? b.data : "?");
        tr_buf_free(&b);
    }
    if (!ok && x->quiet)
        goto done;
    int r = 1;
    switch ((tr_jtype)n->type) {
    case TR_J_STRING:
        r = check_string(x, nd, at);
        break;
    case TR_J_NUMBER:
        r = check_number(x, nd, at);
        break;
    case TR_J_ARRAY:
        r = check_array(x, nd, at);
        break;
    case TR_J_OBJECT:
        r = check_object(x, nd, at);
        break;
    default:
        break;
    }
    if (!r) {
        ok = 0;
        if (x->quiet)
            goto done;
    }
    if (nd->nall_of || nd->nany_of || nd->none_of || nd->not_schema >= 0)
        if (!check_combinators(x, nd, at))
            ok = 0;
done:
    x->depth--;
    return ok;
}

int tr_vs_validate(const tr_vs_set *set, const tr_jdom *dom, uint32_t at, tr_vs_errors *errs)
{
    vctx x = {.set = set, .dom = dom, .errs = errs, .main = errs};
    if (!errs->max)
        errs->max = 1000;
    int rc = compile_patterns(set, &x.re);
    if (rc)
        return rc;
    x.md = pcre2_match_data_create(1, NULL);
    if (!x.md)
        return tr_error_oom();
    check(&x, set->root, at);
    pcre2_match_data_free(x.md);
    if (x.rc)
        return x.rc;
    if (errs->oom)
        return tr_error_oom();
    return TRUSTREG_OK;
}
