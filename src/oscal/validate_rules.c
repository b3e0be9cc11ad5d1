/*
 * oscal/validate_rules.c - OSCAL rules beyond the JSON schema (see validate_rules.h and
 * docs/validate.md for the exact scope of each rule and why).
 *
 * One linear pass over the flat document (nodes are in document order, so a stack of open
 * containers gives every value its member name and the name of the array it sits in) collects
 * uuids, ids by kind, '#' hrefs, parameter inserts and profile imports; references are resolved
 * once everything is collected, so forward references are fine.
 */
#include "oscal/validate_rules.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a small string -> node map (open addressing) -------------------------------------------- */

typedef struct slot {
    const char *key; /* NULL: empty */
    uint32_t len;
    uint32_t kind;
    uint32_t node;
} slot;

typedef struct smap {
    slot *s;
    size_t cap, n;
} smap;

static uint64_t hash(const char *k, uint32_t len, uint32_t kind)
{
    uint64_t h = 1469598103934665603ull ^ kind;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
    return h;
}

static slot *smap_find(const smap *m, const char *k, uint32_t len, uint32_t kind)
{
    if (!m->cap)
        return NULL;
    size_t i = hash(k, len, kind) & (m->cap - 1);
    for (;;) {
        slot *s = &m->s[i];
        if (!s->key)
            return s;
        if (s->len == len && s->kind == kind && memcmp(s->key, k, len) == 0)
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

/* Insert; returns the existing node when the key was already there, TR_JNONE when new,
 * and sets *oom on allocation failure. */
static uint32_t smap_put(smap *m, const char *k, uint32_t len, uint32_t kind, uint32_t node,
                         int *oom)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        slot *s = calloc(cap, sizeof *s);
        if (!s) {
            *oom = 1;
            return TR_JNONE;
        }
        smap old = *m;
        m->s = s;
        m->cap = cap;
        for (size_t i = 0; i < old.cap; i++)
            if (old.s[i].key)
                *smap_find(m, old.s[i].key, old.s[i].len, old.s[i].kind) = old.s[i];
        free(old.s);
    }
    slot *s = smap_find(m, k, len, kind);
    if (s->key)
        return s->node;
    *s = (slot){k, len, kind, node};
    m->n++;
    return TR_JNONE;
}

/* ---- collection ------------------------------------------------------------------------------ */

/* Kinds of ids that must be unique within a document, by the name of the array they sit in. */
static const char *const id_kinds[] = {"controls", "groups", "params", "parts", "roles"};
#define N_KINDS (sizeof id_kinds / sizeof id_kinds[0])
enum { KIND_UUID = N_KINDS, KIND_RESOURCE, KIND_ANY_ID };

typedef struct frame {
    uint32_t end;
    uint8_t is_obj;
    uint8_t in_modify;
    const char *kind; /* member name of this container, or of the array an object sits in */
} frame;

typedef struct nodelist {
    uint32_t *v;
    size_t n, cap;
} nodelist;

static int push_node(nodelist *l, uint32_t node)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        uint32_t *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = node;
    return 0;
}

typedef struct rules {
    const tr_jdom *dom;
    trustreg_oscal_model model;
    tr_vs_errors *errs;
    smap ids;         /* (kind, id) and (KIND_ANY_ID, id) */
    smap uuids;       /* (KIND_UUID, uuid) and (KIND_RESOURCE, back-matter resource uuid) */
    nodelist hrefs;   /* '#...' href values */
    nodelist inserts; /* strings containing "{{" (catalogs) */
    nodelist imports; /* profile import hrefs */
    int oom;
} rules;

static char *dup_printf(const char *fmt, ...) TR_PRINTF(1, 2);
static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (p) {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

static void duplicate(rules *r, uint32_t node, uint32_t first, const char *what, const char *rule)
{
    char *where = tr_vs_pointer(r->dom, first);
    tr_vs_errors_add(
        r->errs, node, rule + 9, rule, dup_printf("a %s not used elsewhere in the document", what),
        dup_printf("\"%s\", already used at %s", r->dom->nodes[node].str, where ? where : "?"));
    free(where);
}

static int kind_index(const char *kind)
{
    if (!kind)
        return -1;
    for (size_t i = 0; i < N_KINDS; i++)
        if (strcmp(kind, id_kinds[i]) == 0)
            return (int)i;
    return -1;
}

static void visit_value(rules *r, const frame *f, const char *key, uint32_t i)
{
    const tr_jnode *n = &r->dom->nodes[i];
    if (n->type != TR_J_STRING)
        return;
    if (!key) {
        /* array element strings: only inserts matter */
        if (r->model == TRUSTREG_MODEL_CATALOG && memchr(n->str, '{', n->len) &&
            strstr(n->str, "{{") && push_node(&r->inserts, i))
            r->oom = 1;
        return;
    }
    if (f->is_obj && strcmp(key, "uuid") == 0) {
        uint32_t first = smap_put(&r->uuids, n->str, n->len, KIND_UUID, i, &r->oom);
        if (first != TR_JNONE)
            duplicate(r, i, first, "uuid", "trustreg:unique-uuid");
        if (f->kind && strcmp(f->kind, "resources") == 0)
            smap_put(&r->uuids, n->str, n->len, KIND_RESOURCE, i, &r->oom);
    } else if (f->is_obj && strcmp(key, "id") == 0) {
        int k = kind_index(f->kind);
        smap_put(&r->ids, n->str, n->len, KIND_ANY_ID, i, &r->oom);
        /* ids inside a profile's modify are fragments merged into the imported catalog's
         * controls; they are unique only after resolution */
        if (k >= 0 && !f->in_modify) {
            uint32_t first = smap_put(&r->ids, n->str, n->len, (uint32_t)k, i, &r->oom);
            if (first != TR_JNONE) {
                char what[48];
                snprintf(what, sizeof what, "%.*s id", (int)strlen(id_kinds[k]) - 1, id_kinds[k]);
                duplicate(r, i, first, what, "trustreg:unique-id");
            }
        }
    } else if (strcmp(key, "href") == 0) {
        if (r->model == TRUSTREG_MODEL_PROFILE && f->kind && strcmp(f->kind, "imports") == 0) {
            if (push_node(&r->imports, i))
                r->oom = 1;
        } else if (n->str[0] == '#' && push_node(&r->hrefs, i)) {
            r->oom = 1;
        }
    }
    if (r->model == TRUSTREG_MODEL_CATALOG && memchr(n->str, '{', n->len) && strstr(n->str, "{{") &&
        push_node(&r->inserts, i))
        r->oom = 1;
}

static int collect(rules *r)
{
    const tr_jdom *dom = r->dom;
    frame stack[TRUSTREG_OSCAL_MAX_DEPTH + 2];
    int sp = 0;
    if (dom->n == 0 || dom->nodes[0].type != TR_J_OBJECT)
        return 0;
    stack[sp++] = (frame){dom->nodes[0].end, 1, 0, NULL};
    uint32_t i = 1;
    while (i < dom->n && !r->oom) {
        while (sp > 0 && i >= stack[sp - 1].end)
            sp--;
        if (sp == 0)
            break;
        const frame *f = &stack[sp - 1];
        const char *key = NULL;
        if (f->is_obj)
            key = dom->nodes[i++].str;
        const tr_jnode *n = &dom->nodes[i];
        if (n->type == TR_J_OBJECT || n->type == TR_J_ARRAY) {
            if (sp >= (int)(sizeof stack / sizeof stack[0]))
                return tr_error(TRUSTREG_EINTERNAL, "document nested too deeply");
            frame nf = {n->end, n->type == TR_J_OBJECT, f->in_modify, key ? key : f->kind};
            if (key && r->model == TRUSTREG_MODEL_PROFILE && sp == 2 && strcmp(key, "modify") == 0)
                nf.in_modify = 1;
            stack[sp++] = nf;
            i++;
            continue;
        }
        visit_value(r, f, key, i);
        i++;
    }
    return r->oom ? tr_error_oom() : 0;
}

/* ---- resolution ------------------------------------------------------------------------------ */

static int looks_like_uuid(const char *s)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (int g = 0; g < 5; g++) {
        for (int k = 0; k < groups[g]; k++, s++) {
            char c = *s;
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                return 0;
        }
        if (g < 4 && *s++ != '-')
            return 0;
    }
    return *s == '\0';
}

static int known(const smap *m, const char *s, uint32_t kind)
{
    const slot *sl = smap_find(m, s, (uint32_t)strlen(s), kind);
    return sl && sl->key;
}

static void check_hrefs(rules *r)
{
    for (size_t j = 0; j < r->hrefs.n; j++) {
        uint32_t i = r->hrefs.v[j];
        const char *frag = r->dom->nodes[i].str + 1;
        int uuid = looks_like_uuid(frag);
        /* Outside catalogs, a fragment that is not a uuid may name a control of another
         * document (a profile's or SSP's catalog); only uuids are checked there. */
        if (!uuid && r->model != TRUSTREG_MODEL_CATALOG)
            continue;
        if (known(&r->uuids, frag, KIND_UUID) || known(&r->ids, frag, KIND_ANY_ID))
            continue;
        tr_vs_errors_add(r->errs, i, "href-fragment", "trustreg:href-fragment",
                         dup_printf("a reference to a %s in this document",
                                    uuid ? "back-matter resource or object with this uuid"
                                         : "control, group, part, parameter or object"),
                         dup_printf("\"#%s\", which names nothing in the document", frag));
    }
}

/* "{{ insert: param, ID }}" with optional spaces; other insert types are left alone. */
static void check_inserts(rules *r)
{
    for (size_t j = 0; j < r->inserts.n; j++) {
        uint32_t i = r->inserts.v[j];
        const char *s = r->dom->nodes[i].str;
        while ((s = strstr(s, "{{")) != NULL) {
            const char *p = s + 2;
            while (*p == ' ' || *p == '\t')
                p++;
            if (strncmp(p, "insert:", 7) != 0) {
                s += 2;
                continue;
            }
            p += 7;
            while (*p == ' ' || *p == '\t')
                p++;
            if (strncmp(p, "param", 5) != 0 || (p[5] != ',' && p[5] != ' ' && p[5] != '\t')) {
                s += 2;
                continue;
            }
            p += 5;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != ',') {
                s += 2;
                continue;
            }
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
            const char *id = p;
            while (*p && *p != '}' && *p != ' ' && *p != '\t')
                p++;
            size_t len = (size_t)(p - id);
            s = p;
            const slot *sl = smap_find(&r->ids, id, (uint32_t)len, (uint32_t)kind_index("params"));
            if (len > 0 && sl && sl->key)
                continue;
            tr_vs_errors_add(
                r->errs, i, "param-insert", "trustreg:param-insert",
                dup_printf("a parameter of this catalog with id \"%.*s\"", (int)len, id),
                dup_printf("{{ insert: param, %.*s }} with no such parameter", (int)len, id));
        }
    }
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int has_scheme(const char *s)
{
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

static void check_imports(rules *r, const char *base_dir)
{
    for (size_t j = 0; j < r->imports.n; j++) {
        uint32_t i = r->imports.v[j];
        const char *href = r->dom->nodes[i].str;
        if (href[0] == '#') {
            if (!known(&r->uuids, href + 1, KIND_RESOURCE))
                tr_vs_errors_add(r->errs, i, "profile-import", "trustreg:profile-import",
                                 dup_printf("a back-matter resource with uuid \"%s\"", href + 1),
                                 dup_printf("\"%s\", but back-matter has no such resource", href));
            continue;
        }
        if (has_scheme(href) || !base_dir)
            continue; /* absolute URLs are resolved with --map at resolution, never fetched */
        tr_buf p = {0};
        if (href[0] != '/')
            tr_buf_printf(&p, "%s/", base_dir);
        tr_buf_puts(&p, href);
        int ok = p.data && file_exists(p.data);
        if (!ok && p.data && p.len > 4 && strcmp(p.data + p.len - 4, ".xml") == 0) {
            /* an .xml import is read from its .json sibling (docs/validate.md) */
            p.len -= 4;
            tr_buf_puts(&p, ".json");
            ok = p.data && file_exists(p.data);
        }
        if (!ok)
            tr_vs_errors_add(r->errs, i, "profile-import", "trustreg:profile-import",
                             dup_printf("an existing file (relative to %s)", base_dir),
                             dup_printf("\"%s\", which does not exist", href));
        tr_buf_free(&p);
    }
}

int tr_oscal_rules_check(const tr_jdom *dom, trustreg_oscal_model model, const char *base_dir,
                         tr_vs_errors *errs)
{
    rules r = {.dom = dom, .model = model, .errs = errs};
    int rc = collect(&r);
    if (!rc) {
        check_hrefs(&r);
        if (model == TRUSTREG_MODEL_CATALOG)
            check_inserts(&r);
        if (model == TRUSTREG_MODEL_PROFILE)
            check_imports(&r, base_dir);
    }
    free(r.ids.s);
    free(r.uuids.s);
    free(r.hrefs.v);
    free(r.inserts.v);
    free(r.imports.v);
    if (!rc && (r.oom || errs->oom))
        rc = tr_error_oom();
    return rc;
}
