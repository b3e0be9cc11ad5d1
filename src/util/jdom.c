/*
 * util/jdom.c - the strict flat JSON reader (see jdom.h).
 *
 * One pass over the bytes with an explicit stack of open containers (no recursion). Memory: the
 * node array is reserved for the worst case (one node per input byte) and the string buffer for
 * the input length (a decoded string plus its NUL is never longer than its quoted source); both
 * are anonymous mappings whose likely-used prefix is populated up front, the rest on demand.
 */
#include "util/jdom.h"
#include "util/error.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Reserve bytes of address space; the first `populate` bytes are faulted in by the kernel in one
 * call (one page fault per 4 KiB costs more than parsing on virtual machines), the rest only if
 * a document needs it.
 */
static void *reserve(size_t bytes, size_t populate)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    populate &= ~(size_t)4095;
    if (populate > 0 && populate <= bytes)
        (void)mmap(p, populate, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0);
    return p;
}

void tr_jdom_free(tr_jdom *dom)
{
    if (dom->nodes)
        munmap(dom->nodes, dom->nodes_bytes);
    if (dom->strings)
        munmap(dom->strings, dom->strings_bytes);
    memset(dom, 0, sizeof *dom);
}

typedef struct parser {
    const unsigned char *s, *p, *e;
    tr_jdom *dom;
    char *out; /* next free byte of dom->strings */
    const char *source;
} parser;

/* Report an error at byte offset at: line and column (in characters) computed only now. */
static int fail_at(parser *ps, const unsigned char *at, const char *what)
{
    int line = 1, col = 1;
    for (const unsigned char *q = ps->s; q < at && q < ps->e; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else if ((*q & 0xC0) != 0x80) {
            col++;
        }
    }
    if (strncmp(what, "nesting", 7) == 0)
        return tr_error_at(TRUSTREG_EINPUT, ps->source, line, col, "%s", what);
    return tr_error_at(TRUSTREG_EINPUT, ps->source, line, col, "invalid JSON: %s", what);
}

static void skip_ws(parser *ps)
{
    const unsigned char *p = ps->p;
    while (p < ps->e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    ps->p = p;
}

static uint32_t add_node(parser *ps, tr_jtype type)
{
    uint32_t i = ps->dom->n++;
    tr_jnode *nd = &ps->dom->nodes[i];
    nd->type = type;
    nd->len = 0;
    nd->end = i + 1;
    nd->pad = 0;
    nd->str = NULL;
    return i;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int read_hex4(parser *ps, const unsigned char *at, unsigned *v)
{
    if (ps->e - at < 4)
        return -1;
    unsigned x = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(at[i]);
        if (h < 0)
            return -1;
        x = x * 16 + (unsigned)h;
    }
    *v = x;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static int utf8_len(const unsigned char *p, const unsigned char *e)
{
    unsigned char c = p[0];
    int n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (e - p < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* ps->p is at the opening quote. */
static int parse_string(parser *ps)
{
    const unsigned char *p = ps->p + 1, *e = ps->e;
    char *o = ps->out;
    char *start = o;
    for (;;) {
        /* fast path: plain ASCII runs */
        const unsigned char *run = p;
        while (p < e && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run) {
            memcpy(o, run, (size_t)(p - run));
            o += p - run;
        }
        if (p >= e)
            return fail_at(ps, p, "unexpected end of input in a string");
        unsigned char c = *p;
        if (c == '"') {
            p++;
            break;
        }
        if (c < 0x20)
            return fail_at(ps, p, "control character in a string (escape it)");
        if (c >= 0x80) {
            int n = utf8_len(p, e);
            if (!n)
                return fail_at(ps, p, "invalid UTF-8 in a string");
            memcpy(o, p, (size_t)n);
            o += n;
            p += n;
            continue;
        }
        /* backslash */
        if (e - p < 2)
            return fail_at(ps, p, "unexpected end of input in an escape");
        unsigned char x = p[1];
        const char *simple = NULL;
        switch (x) {
        case '"': simple = "\""; break;
        case '\\': simple = "\\"; break;
        case '/': simple = "/"; break;
        case 'b': simple = "\b"; break;
        case 'f': simple = "\f"; break;
        case 'n': simple = "\n"; break;
        case 'r': simple = "\r"; break;
        case 't': simple = "\t"; break;
        case 'u': break;
        default: return fail_at(ps, p, "invalid escape in a string");
        }
        if (simple) {
            *o++ = simple[0];
            p += 2;
            continue;
        }
        unsigned cp;
        if (read_hex4(ps, p + 2, &cp))
            return fail_at(ps, p, "invalid \\u escape: expected four hex digits");
        const unsigned char *esc = p;
        p += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (e - p < 6 || p[0] != '\\' || p[1] != 'u' || read_hex4(ps, p + 2, &lo) ||
                lo < 0xDC00 || lo > 0xDFFF)
                return fail_at(ps, esc, "invalid \\u escape: a high surrogate without its low "
                                        "surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail_at(ps, esc, "invalid \\u escape: a lone low surrogate");
        } else if (cp == 0) {
            return fail_at(ps, esc, "\\u0000 is not allowed in strings");
        }
        o = put_utf8(o, cp);
    }
    *o++ = '\0';
    uint32_t i = add_node(ps, TR_J_STRING);
    ps->dom->nodes[i].str = start;
    ps->dom->nodes[i].len = (uint32_t)(o - start - 1);
    ps->out = o;
    ps->p = p;
    return TRUSTREG_OK;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(parser *ps)
{
    const unsigned char *p = ps->p, *e = ps->e, *start = p;
    int real = 0;
    if (p < e && *p == '-')
        p++;
    if (p >= e || !is_digit(*p))
        return fail_at(ps, start, "invalid number");
    if (*p == '0') {
        p++;
    } else {
        while (p < e && is_digit(*p))
            p++;
    }
    if (p < e && *p == '.') {
        real = 1;
        p++;
        if (p >= e || !is_digit(*p))
            return fail_at(ps, start, "invalid number: digits expected after '.'");
        while (p < e && is_digit(*p))
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        real = 1;
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (p >= e || !is_digit(*p))
            return fail_at(ps, start, "invalid number: digits expected in the exponent");
        while (p < e && is_digit(*p))
            p++;
    }
    size_t n = (size_t)(p - start);
    /* the same range checks as jansson: integers fit in 64 bits, reals do not overflow */
    char small[128];
    char *copy = n < sizeof small ? small : malloc(n + 1);
    if (!copy)
        return tr_error_oom();
    memcpy(copy, start, n);
    copy[n] = '\0';
    errno = 0;
    int bad = 0;
    if (real) {
        double d = strtod(copy, NULL);
        bad = (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL));
    } else {
        (void)strtoll(copy, NULL, 10);
        bad = errno == ERANGE;
    }
    if (copy != small)
        free(copy);
    if (bad)
        return fail_at(ps, start, real ? "real number overflow" : "too big integer");
    uint32_t i = add_node(ps, TR_J_NUMBER);
    ps->dom->nodes[i].str = (const char *)start;
    ps->dom->nodes[i].len = (uint32_t)n;
    ps->p = p;
    return TRUSTREG_OK;
}

static int parse_literal(parser *ps)
{
    static const struct {
        const char *text;
        size_t len;
        tr_jtype type;
    } lits[] = {{"true", 4, TR_J_TRUE}, {"false", 5, TR_J_FALSE}, {"null", 4, TR_J_NULL}};
    for (size_t k = 0; k < 3; k++) {
        if ((size_t)(ps->e - ps->p) >= lits[k].len &&
            memcmp(ps->p, lits[k].text, lits[k].len) == 0) {
            add_node(ps, lits[k].type);
            ps->p += lits[k].len;
            return TRUSTREG_OK;
        }
    }
    return fail_at(ps, ps->p, "unexpected character, expected a value");
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Refuse duplicate keys in the object at index obj (its members are complete). */
static int check_duplicates(parser *ps, uint32_t obj, const unsigned char *at)
{
    tr_jdom *d = ps->dom;
    uint32_t count = d->nodes[obj].len;
    if (count < 2)
        return TRUSTREG_OK;
    if (count <= 16) {
        const char *keys[16];
        uint32_t n = 0;
        for (uint32_t k = obj + 1; k < d->nodes[obj].end; k = d->nodes[k + 1].end)
            keys[n++] = d->nodes[k].str;
        for (uint32_t a = 0; a < n; a++)
            for (uint32_t b = a + 1; b < n; b++)
                if (strcmp(keys[a], keys[b]) == 0)
                    return fail_at(ps, at, "duplicate object key");
        return TRUSTREG_OK;
    }
    const char **keys = malloc(count * sizeof *keys);
    if (!keys)
        return tr_error_oom();
    uint32_t n = 0;
    for (uint32_t k = obj + 1; k < d->nodes[obj].end; k = d->nodes[k + 1].end)
        keys[n++] = d->nodes[k].str;
    qsort(keys, n, sizeof *keys, cmp_keys);
    int dup = 0;
    for (uint32_t a = 1; a < n && !dup; a++)
        dup = strcmp(keys[a - 1], keys[a]) == 0;
    free(keys);
    return dup ? fail_at(ps, at, "duplicate object key") : TRUSTREG_OK;
}

int tr_jdom_parse(tr_jdom *dom, const unsigned char *text, size_t len, int max_depth,
                  const char *source)
{
    memset(dom, 0, sizeof *dom);
    if (len >= UINT32_MAX / 2)
        return tr_error(TRUSTREG_EINPUT, "%s: too large for the JSON reader", source);
    dom->nodes_bytes = (len + 2) * sizeof(tr_jnode);
    dom->strings_bytes = len + 1;
    /* OSCAL JSON has about one value per 32 bytes and about half its bytes in strings */
    dom->nodes = reserve(dom->nodes_bytes, (len / 32 + 16) * sizeof(tr_jnode));
    dom->strings = reserve(dom->strings_bytes, len / 2 + len / 4);
    if (!dom->nodes || !dom->strings) {
        tr_jdom_free(dom);
        return tr_error_oom();
    }
    parser ps = {text, text, text + len, dom, dom->strings, source};
    uint32_t stack[256];
    if (max_depth > 255)
        max_depth = 255;
    int depth = 0;
    int rc = TRUSTREG_OK;

    skip_ws(&ps);
    if (ps.p >= ps.e) {
        rc = fail_at(&ps, ps.p, "no JSON value in the input");
        goto out;
    }
    for (;;) {
        /* parse one value at ps.p */
        skip_ws(&ps);
        if (ps.p >= ps.e) {
            rc = fail_at(&ps, ps.p, "unexpected end of input, expected a value");
            goto out;
        }
        unsigned char c = *ps.p;
        int opened = 0;
        if (c == '{' || c == '[') {
            if (depth >= max_depth) {
                char msg[96];
                snprintf(msg, sizeof msg, "nesting deeper than %d levels of arrays and objects",
                         max_depth);
                rc = fail_at(&ps, ps.p, msg);
                goto out;
            }
            stack[depth++] = add_node(&ps, c == '{' ? TR_J_OBJECT : TR_J_ARRAY);
            ps.p++;
            skip_ws(&ps);
            opened = 1;
            if (ps.p < ps.e && *ps.p == (c == '{' ? '}' : ']')) {
                /* empty container: closed below */
            } else if (c == '{') {
                if (ps.p >= ps.e || *ps.p != '"') {
                    rc = fail_at(&ps, ps.p, "expected a string as object key");
                    goto out;
                }
                if ((rc = parse_string(&ps)))
                    goto out;
                skip_ws(&ps);
                if (ps.p >= ps.e || *ps.p != ':') {
                    rc = fail_at(&ps, ps.p, "expected ':' after an object key");
                    goto out;
                }
                ps.p++;
                continue;
            } else {
                continue;
            }
        } else if (c == '"') {
            rc = parse_string(&ps);
        } else if (c == '-' || is_digit(c)) {
            rc = parse_number(&ps);
        } else {
            rc = parse_literal(&ps);
        }
        if (rc)
            goto out;
        (void)opened;

        /* after a value (or right after an empty container was opened): close or continue */
        for (;;) {
            if (depth == 0) {
                skip_ws(&ps);
                if (ps.p < ps.e) {
                    rc = fail_at(&ps, ps.p, "unexpected text after the JSON value");
                    goto out;
                }
                goto out;
            }
            uint32_t top = stack[depth - 1];
            tr_jnode *tn = &dom->nodes[top];
            int is_obj = tn->type == TR_J_OBJECT;
            skip_ws(&ps);
            if (ps.p >= ps.e) {
                rc = fail_at(&ps, ps.p,
                             is_obj ? "unexpected end of input, expected ',' or '}'"
                                    : "unexpected end of input, expected ',' or ']'");
                goto out;
            }
            /* count the value just completed, unless we are at an empty container's close */
            if (dom->n - 1 != top || !opened)
                tn->len++;
            opened = 0;
            if (*ps.p == (is_obj ? '}' : ']')) {
                ps.p++;
                tn->end = dom->n;
                if (is_obj && (rc = check_duplicates(&ps, top, ps.p - 1)))
                    goto out;
                depth--;
                continue; /* the container is a completed value of its parent */
            }
            if (*ps.p != ',') {
                rc = fail_at(&ps, ps.p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
                goto out;
            }
            ps.p++;
            if (is_obj) {
                skip_ws(&ps);
                if (ps.p >= ps.e || *ps.p != '"') {
                    rc = fail_at(&ps, ps.p, "expected a string as object key");
                    goto out;
                }
                if ((rc = parse_string(&ps)))
                    goto out;
                skip_ws(&ps);
                if (ps.p >= ps.e || *ps.p != ':') {
                    rc = fail_at(&ps, ps.p, "expected ':' after an object key");
                    goto out;
                }
                ps.p++;
            }
            break; /* parse the next value */
        }
    }
out:
    if (rc)
        tr_jdom_free(dom);
    return rc;
}

uint32_t tr_jdom_first(const tr_jdom *dom, uint32_t c)
{
    if (c == TR_JNONE || (dom->nodes[c].type != TR_J_ARRAY && dom->nodes[c].type != TR_J_OBJECT))
        return TR_JNONE;
    return dom->nodes[c].end > c + 1 ? c + 1 : TR_JNONE;
}

uint32_t tr_jdom_next(const tr_jdom *dom, uint32_t c, uint32_t v)
{
    uint32_t n = dom->nodes[v].end;
    return n < dom->nodes[c].end ? n : TR_JNONE;
}

uint32_t tr_jdom_next_member(const tr_jdom *dom, uint32_t obj, uint32_t key)
{
    uint32_t n = dom->nodes[key + 1].end;
    return n < dom->nodes[obj].end ? n : TR_JNONE;
}

uint32_t tr_jdom_get(const tr_jdom *dom, uint32_t obj, const char *key)
{
    if (obj == TR_JNONE || dom->nodes[obj].type != TR_J_OBJECT)
        return TR_JNONE;
    for (uint32_t k = tr_jdom_first(dom, obj); k != TR_JNONE; k = tr_jdom_next_member(dom, obj, k))
        if (strcmp(dom->nodes[k].str, key) == 0)
            return k + 1;
    return TR_JNONE;
}

const char *tr_jdom_str(const tr_jdom *dom, uint32_t i)
{
    if (i == TR_JNONE || dom->nodes[i].type != TR_J_STRING)
        return NULL;
    return dom->nodes[i].str;
}

const char *tr_jdom_type_name(const tr_jdom *dom, uint32_t i)
{
    if (i == TR_JNONE)
        return "nothing";
    switch ((tr_jtype)dom->nodes[i].type) {
    case TR_J_NULL: return "null";
    case TR_J_FALSE: return "false";
    case TR_J_TRUE: return "true";
    case TR_J_NUMBER: {
        const tr_jnode *n = &dom->nodes[i];
        for (uint32_t k = 0; k < n->len; k++)
            if (n->str[k] == '.' || n->str[k] == 'e' || n->str[k] == 'E')
                return "real";
        return "integer";
    }
    case TR_J_STRING: return "string";
    case TR_J_ARRAY: return "array";
    case TR_J_OBJECT: return "object";
    }
    return "unknown";
}

static const char *want_name(tr_jtype t)
{
    switch (t) {
    case TR_J_STRING: return "a string";
    case TR_J_ARRAY: return "an array";
    case TR_J_OBJECT: return "an object";
    case TR_J_NUMBER: return "a number";
    default: return "a literal";
    }
}

int tr_jdom_get_typed(const tr_jdom *dom, uint32_t obj, const char *key, tr_jtype type,
                      int required, const char *source, tr_jptr *ptr, uint32_t *out)
{
    uint32_t v = tr_jdom_get(dom, obj, key);
    *out = TR_JNONE;
    if (v == TR_JNONE) {
        if (!required)
            return TRUSTREG_OK;
        size_t mark = tr_jptr_push_key(ptr, key);
        int rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(ptr),
                              "required member \"%s\" is missing", key);
        tr_jptr_pop(ptr, mark);
        return rc;
    }
    if (dom->nodes[v].type != (uint32_t)type) {
        size_t mark = tr_jptr_push_key(ptr, key);
        int rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(ptr), "expected %s, found %s",
                              want_name(type), tr_jdom_type_name(dom, v));
        tr_jptr_pop(ptr, mark);
        return rc;
    }
    *out = v;
    return TRUSTREG_OK;
}

int tr_jdom_get_string(const tr_jdom *dom, uint32_t obj, const char *key, int required,
                       const char *source, tr_jptr *ptr, const char **out)
{
    uint32_t v;
    int rc = tr_jdom_get_typed(dom, obj, key, TR_J_STRING, required, source, ptr, &v);
    *out = v == TR_JNONE ? NULL : dom->nodes[v].str;
    return rc;
}
