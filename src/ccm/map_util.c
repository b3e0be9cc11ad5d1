/*
 * ccm/map_util.c - the in-memory mapping model (map_model.h): building and freeing it, import
 * warnings, splitting cells of control ids, a small string hash map, uuids and UTF-8 checks.
 */
#include "ccm/map_model.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/mem.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void warn_add(tr_map_warns *w, const char *pointer, int line, int column, const char *msg)
{
    if (w->oom)
        return;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        trustreg_map_warning *v = realloc(w->v, cap * sizeof *v);
        if (!v) {
            w->oom = 1;
            return;
        }
        w->v = v;
        w->cap = cap;
    }
    trustreg_map_warning *x = &w->v[w->n];
    x->message = tr_strdup(msg);
    x->pointer = tr_strdup(pointer);
    x->line = line;
    x->column = column;
    if (!x->message || !x->pointer) {
        free(x->message);
        free(x->pointer);
        w->oom = 1;
        return;
    }
    w->n++;
}

void tr_map_warn_ptr(tr_map_warns *w, const char *pointer, const char *fmt, ...)
{
    char body[768], msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (pointer && *pointer)
        snprintf(msg, sizeof msg, "%s: %s: %s", w->source, pointer, body);
    else
        snprintf(msg, sizeof msg, "%s: %s", w->source, body);
    warn_add(w, pointer ? pointer : "", 0, 0, msg);
}

void tr_map_warn_at(tr_map_warns *w, int line, int column, const char *fmt, ...)
{
    char body[768], msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(msg, sizeof msg, "%s:%d:%d: %s", w->source, line, column, body);
    else
        snprintf(msg, sizeof msg, "%s: %s", w->source, body);
    warn_add(w, "", line, column, msg);
}

void tr_map_warns_free(tr_map_warns *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].message);
        free(w->v[i].pointer);
    }
    free(w->v);
    w->v = NULL;
    w->n = w->cap = 0;
}

static void end_free(tr_map_end *e)
{
    free(e->name);
    free(e->href);
    free(e->catalog_uuid);
    free(e->where);
}

static void items_free(tr_map_item *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].id);
    free(v);
}

void tr_map_model_free(tr_map_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        tr_map_mapping *g = &m->mappings[i];
        end_free(&g->src);
        end_free(&g->dst);
        free(g->body);
        for (size_t j = 0; j < g->n_maps; j++) {
            tr_map_entry *e = &g->maps[j];
            free(e->uuid);
            free(e->token);
            free(e->rationale);
            free(e->body);
            free(e->where);
            items_free(e->sources, e->n_sources);
            items_free(e->targets, e->n_targets);
        }
        free(g->maps);
    }
    free(m->mappings);
    free(m->uuid);
    free(m->title);
    free(m->version);
    free(m->oscal_version);
    free(m->head);
    tr_map_warns_free(&m->warns);
    memset(m, 0, sizeof *m);
}

tr_map_mapping *tr_map_model_add_mapping(tr_map_model *m)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        tr_map_mapping *v = realloc(m->mappings, cap * sizeof *v);
        if (!v) {
            tr_error_oom();
            return NULL;
        }
        m->mappings = v;
        m->cap = cap;
    }
    tr_map_mapping *g = &m->mappings[m->n++];
    memset(g, 0, sizeof *g);
    return g;
}

tr_map_entry *tr_map_mapping_add_map(tr_map_mapping *g)
{
    if (g->n_maps == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        tr_map_entry *v = realloc(g->maps, cap * sizeof *v);
        if (!v) {
            tr_error_oom();
            return NULL;
        }
        g->maps = v;
        g->cap = cap;
    }
    tr_map_entry *e = &g->maps[g->n_maps++];
    memset(e, 0, sizeof *e);
    e->strength = -1;
    return e;
}

int tr_map_entry_add_item(tr_map_entry *e, int target, const char *id, size_t len, int statement)
{
    tr_map_item **v = target ? &e->targets : &e->sources;
    size_t *n = target ? &e->n_targets : &e->n_sources;
    /* grow by powers of two: the count itself tells the capacity */
    if ((*n & (*n - 1)) == 0) {
        size_t cap = *n ? *n * 2 : 1;
        tr_map_item *p = realloc(*v, cap * sizeof *p);
        if (!p)
            return tr_error_oom();
        *v = p;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return tr_error_oom();
    memcpy(copy, id, len);
    copy[len] = '\0';
    (*v)[*n].id = copy;
    (*v)[*n].statement = statement;
    (*n)++;
    return TRUSTREG_OK;
}

/* Separator at s: returns its length in bytes (0 when none). */
static size_t separator(const unsigned char *s)
{
    if (*s == ',' || *s == ';' || *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
        *s == '\v' || *s == '\f')
        return 1;
    if (s[0] == 0xc2 && s[1] == 0xa0) /* U+00A0 no-break space */
        return 2;
    return 0;
}

long tr_map_entry_add_ids(tr_map_entry *e, int target, const char *cell)
{
    const unsigned char *p = (const unsigned char *)cell;
    long added = 0;
    while (*p) {
        size_t sep;
        while ((sep = separator(p)))
            p += sep;
        if (!*p)
            break;
        const unsigned char *start = p;
        while (*p && !separator(p))
            p++;
        if (tr_map_entry_add_item(e, target, (const char *)start, (size_t)(p - start), 0))
            return -1;
        added++;
    }
    return added;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int hash_grow(tr_map_hash *h)
{
    size_t cap = h->cap ? h->cap * 2 : 64;
    char **keys = calloc(cap, sizeof *keys);
    void **vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < h->cap; i++) {
        if (!h->keys[i])
            continue;
        size_t j = hash_str(h->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = h->keys[i];
        vals[j] = h->vals[i];
    }
    free(h->keys);
    free(h->vals);
    h->keys = keys;
    h->vals = vals;
    h->cap = cap;
    return 0;
}

void **tr_map_hash_slot(tr_map_hash *h, const char *key, int create)
{
    if (h->cap) {
        size_t j = hash_str(key) & (h->cap - 1);
        while (h->keys[j]) {
            if (strcmp(h->keys[j], key) == 0)
                return &h->vals[j];
            j = (j + 1) & (h->cap - 1);
        }
    }
    if (!create)
        return NULL;
    if ((h->n + 1) * 2 > h->cap && hash_grow(h)) {
        tr_error_oom();
        return NULL;
    }
    size_t j = hash_str(key) & (h->cap - 1);
    while (h->keys[j])
        j = (j + 1) & (h->cap - 1);
    if (!(h->keys[j] = tr_strdup(key))) {
        tr_error_oom();
        return NULL;
    }
    h->vals[j] = NULL;
    h->n++;
    return &h->vals[j];
}

void tr_map_hash_free(tr_map_hash *h, void (*free_val)(void *))
{
    for (size_t i = 0; i < h->cap; i++) {
        if (h->keys[i]) {
            free(h->keys[i]);
            if (free_val)
                free_val(h->vals[i]);
        }
    }
    free(h->keys);
    free(h->vals);
    memset(h, 0, sizeof *h);
}

char *tr_map_lower(const char *s)
{
    char *out = tr_strdup(s);
    if (out)
        for (char *p = out; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
    return out;
}

int tr_map_utf8_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        size_t n;
        unsigned min;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1, min = 0x80, c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, min = 0x800, c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, min = 0x10000, c &= 0x07;
        } else {
            return 0;
        }
        if ((size_t)(end - p) <= n)
            return 0;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return 0;
            c = (c << 6) | (p[i] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return 0;
        p += n + 1;
    }
    return 1;
}

void tr_map_uuid(const char *seed, char out[37])
{
    unsigned char b[32];
    if (seed) {
        crypto_hash_sha256(b, (const unsigned char *)seed, strlen(seed));
    } else {
        if (sodium_init() < 0)
            memset(b, 0, sizeof b);
        randombytes_buf(b, 16);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

int tr_map_is_uuid(const char *s, size_t len)
{
    if (len != 36)
        return 0;
    for (size_t i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return 1;
}

trustreg_map_relset tr_map_pair_rel(trustreg_map_rel rel, size_t n_sources, size_t n_targets)
{
    const trustreg_map_relset eq = TRUSTREG_MAP_BIT(TRUSTREG_MAP_EQUIVALENT);
    trustreg_map_relset r = trustreg_map_rel_set(rel);
    if (n_sources > 1)
        r = trustreg_map_compose(eq | TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUBSET), r);
    if (n_targets > 1)
        r = trustreg_map_compose(r, eq | TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET));
    return r;
}
