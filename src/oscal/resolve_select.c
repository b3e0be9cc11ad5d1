/*
 * oscal/resolve_select.c - the Import Phase of profile resolution: which controls of an imported
 * catalog one import directive includes ("Including Controls" in the specification).
 *
 * The catalog's controls are listed in document order (depth-first), each with its parent
 * control and the end of its subtree. Directives then mark them: include-all, include-controls
 * (with-ids, matching = glob patterns, with-child-controls), exclude-controls (same forms; an
 * exclusion always wins), and every ancestor of an included control is included too ("Dealing
 * with Nested Controls and Groups": inclusion of a control causes its ancestors to be included,
 * not its descendants). The selection keeps the catalog's structure: groups holding an included
 * control (or marked keep=always) with their non-control content, and included controls nested
 * under their included parent; a control whose parent was excluded is "up-leveled".
 */
#include "oscal/resolve.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sel_entry {
    json_t *ids;           /* object used as a set of with-ids, or NULL */
    const char **patterns; /* matching patterns (borrowed from the profile) */
    size_t n_patterns;
    int children;          /* with-child-controls: yes */
} sel_entry;

struct tr_selector {
    sel_entry *e;
    size_t n;
};

void tr_selector_free(tr_selector *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        json_decref(s->e[i].ids);
        free(s->e[i].patterns);
    }
    free(s->e);
    free(s);
}

static int compile_entry(const json_t *entry, const char *source, tr_jptr *p, sel_entry *e)
{
    if (!json_is_object(entry))
        return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(p), "expected an object, found %s",
                            tr_json_type_name(entry));
    const char *wcc = NULL;
    json_t *ids = NULL, *matching = NULL;
    int rc;
    if ((rc = tr_json_get_string(entry, "with-child-controls", 0, source, p, &wcc)) ||
        (rc = tr_json_get_array(entry, "with-ids", 0, source, p, &ids)) ||
        (rc = tr_json_get_array(entry, "matching", 0, source, p, &matching)))
        return rc;
    if (wcc && strcmp(wcc, "yes") != 0 && strcmp(wcc, "no") != 0) {
        size_t m = tr_jptr_push_key(p, "with-child-controls");
        rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(p),
                          "expected \"yes\" or \"no\", found \"%.40s\"", wcc);
        tr_jptr_pop(p, m);
        return rc;
    }
    e->children = wcc && strcmp(wcc, "yes") == 0;
    if (ids) {
        e->ids = json_object();
        if (!e->ids)
            return tr_error_oom();
        size_t m = tr_jptr_push_key(p, "with-ids");
        size_t i;
        json_t *v;
        json_array_foreach(ids, i, v) {
            if (!json_is_string(v)) {
                tr_jptr_push_index(p, i);
                rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(p),
                                  "expected a control id (string), found %s", tr_json_type_name(v));
                tr_jptr_pop(p, m);
                return rc;
            }
            if (json_object_set(e->ids, json_string_value(v), json_true()))
                return tr_error_oom();
        }
        tr_jptr_pop(p, m);
    }
    if (matching) {
        /* "matching" with no pattern matches nothing (specification, include-controls plus
         * matching) */
        e->patterns = calloc(json_array_size(matching) + 1, sizeof *e->patterns);
        if (!e->patterns)
            return tr_error_oom();
        size_t m = tr_jptr_push_key(p, "matching");
        size_t i;
        json_t *v;
        json_array_foreach(matching, i, v) {
            size_t mi = tr_jptr_push_index(p, i);
            const char *pat = NULL;
            if (!json_is_object(v))
                rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(p),
                                  "expected an object with a pattern, found %s",
                                  tr_json_type_name(v));
            else
                rc = tr_json_get_string(v, "pattern", 0, source, p, &pat);
            if (rc) {
                tr_jptr_pop(p, m);
                return rc;
            }
            if (pat)
                e->patterns[e->n_patterns++] = pat;
            tr_jptr_pop(p, mi);
        }
        tr_jptr_pop(p, m);
    }
    return TRUSTREG_OK;
}

int tr_selector_new(const json_t *entries, const char *source, const char *ptr, tr_selector **out)
{
    *out = NULL;
    tr_jptr p;
    tr_jptr_init(&p);
    if (ptr && *ptr) {
        /* ptr is already escaped: copy it as is */
        size_t n = strlen(ptr);
        if (n < sizeof p.buf) {
            memcpy(p.buf, ptr, n + 1);
            p.len = n;
        }
    }
    if (!json_is_array(entries))
        return tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(&p), "expected an array, found %s",
                            tr_json_type_name(entries));
    tr_selector *s = calloc(1, sizeof *s);
    if (!s)
        return tr_error_oom();
    s->e = calloc(json_array_size(entries) + 1, sizeof *s->e);
    if (!s->e) {
        free(s);
        return tr_error_oom();
    }
    size_t i;
    json_t *v;
    json_array_foreach(entries, i, v) {
        size_t m = tr_jptr_push_index(&p, i);
        int rc = compile_entry(v, source, &p, &s->e[s->n]);
        s->n++;
        if (rc) {
            tr_selector_free(s);
            return rc;
        }
        tr_jptr_pop(&p, m);
    }
    *out = s;
    return TRUSTREG_OK;
}

int tr_selector_match(const tr_selector *s, const char *id)
{
    if (!s || !id)
        return 0;
    int best = 0;
    for (size_t i = 0; i < s->n && best < 2; i++) {
        const sel_entry *e = &s->e[i];
        int hit = e->ids && json_object_get(e->ids, id);
        for (size_t k = 0; !hit && k < e->n_patterns; k++)
            hit = fnmatch(e->patterns[k], id, 0) == 0;
        if (hit)
            best = e->children ? 2 : (best ? best : 1);
    }
    return best;
}

/* ---- flat tree (util/jdom.h) to jansson, for the selected parts only ---- */

json_t *tr_jdom_to_json(const tr_jdom *d, uint32_t i)
{
    const tr_jnode *n = &d->nodes[i];
    switch ((tr_jtype)n->type) {
    case TR_J_NULL:
        return json_null();
    case TR_J_FALSE:
        return json_false();
    case TR_J_TRUE:
        return json_true();
    case TR_J_NUMBER: {
        char buf[128];
        if (n->len >= sizeof buf)
            return json_real(strtod(n->str, NULL)); /* the text ends at a non-number char */
        memcpy(buf, n->str, n->len);
        buf[n->len] = '\0';
        if (!strpbrk(buf, ".eE")) {
            errno = 0;
            long long v = strtoll(buf, NULL, 10);
            if (errno == 0)
                return json_integer(v);
        }
        return json_real(strtod(buf, NULL));
    }
    case TR_J_STRING:
        /* the flat reader checked UTF-8 and refused "\u0000" */
        return json_stringn_nocheck(n->str, n->len);
    case TR_J_ARRAY: {
        json_t *a = json_array();
        for (uint32_t v = tr_jdom_first(d, i); a && v != TR_JNONE; v = tr_jdom_next(d, i, v)) {
            json_t *e = tr_jdom_to_json(d, v);
            if (!e || json_array_append_new(a, e)) {
                json_decref(a);
                return NULL;
            }
        }
        return a;
    }
    case TR_J_OBJECT: {
        json_t *o = json_object();
        for (uint32_t k = tr_jdom_first(d, i); o && k != TR_JNONE;
             k = tr_jdom_next_member(d, i, k)) {
            json_t *e = tr_jdom_to_json(d, k + 1);
            if (!e || json_object_set_new_nocheck(o, d->nodes[k].str, e)) {
                json_decref(o);
                return NULL;
            }
        }
        return o;
    }
    }
    return NULL;
}

/* ---- the catalog's controls in document order ---- */

typedef struct node {
    const char *id;
    long parent; /* index of the parent control, -1 at the top or directly in a group */
    size_t end;  /* one past the last descendant */
    unsigned char inc, exc;
    unsigned char anc; /* an ancestor of a finally included control */
} node;

typedef struct sel_ctx {
    const tr_jdom *d;
    node *v;
    size_t n, cap;
    size_t k; /* cursor while building */
    int all;  /* include-all: groups without any control are included too */
} sel_ctx;

static int is_obj(const tr_jdom *d, uint32_t i)
{
    return i != TR_JNONE && d->nodes[i].type == TR_J_OBJECT;
}

/* the array member key of obj, or TR_JNONE */
static uint32_t arr_of(const tr_jdom *d, uint32_t obj, const char *key)
{
    uint32_t a = tr_jdom_get(d, obj, key);
    return a != TR_JNONE && d->nodes[a].type == TR_J_ARRAY ? a : TR_JNONE;
}

#define EACH(d, arr, v)                                                                            \
    for (uint32_t v = (arr) == TR_JNONE ? TR_JNONE : tr_jdom_first(d, arr); v != TR_JNONE;       \
         v = tr_jdom_next(d, arr, v))

static int collect(sel_ctx *x, uint32_t container, long parent)
{
    const tr_jdom *d = x->d;
    uint32_t controls = arr_of(d, container, "controls");
    EACH(d, controls, c) {
        if (!is_obj(d, c))
            continue;
        if (x->n == x->cap) {
            size_t cap = x->cap ? 2 * x->cap : 256;
            node *nv = realloc(x->v, cap * sizeof *nv);
            if (!nv)
                return tr_error_oom();
            x->v = nv;
            x->cap = cap;
        }
        size_t idx = x->n++;
        x->v[idx] = (node){tr_jdom_str(d, tr_jdom_get(d, c, "id")), parent, 0, 0, 0, 0};
        int rc = collect(x, c, (long)idx);
        if (rc)
            return rc;
        x->v[idx].end = x->n;
    }
    uint32_t groups = arr_of(d, container, "groups");
    EACH(d, groups, g) {
        if (!is_obj(d, g))
            continue;
        int rc = collect(x, g, parent);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

static void mark(sel_ctx *x, const tr_selector *s, int exclude)
{
    for (size_t i = 0; i < x->n; i++) {
        int m = tr_selector_match(s, x->v[i].id);
        if (!m)
            continue;
        size_t last = m == 2 ? x->v[i].end : i + 1;
        for (size_t j = i; j < last; j++) {
            if (exclude)
                x->v[j].exc = 1;
            else
                x->v[j].inc = 1;
        }
    }
}

static int is_final(const sel_ctx *x, size_t i)
{
    return x->v[i].inc && !x->v[i].exc;
}

/* A jansson copy of obj without its "controls" and "groups" members. */
static json_t *copy_content(const tr_jdom *d, uint32_t obj)
{
    json_t *copy = json_object();
    for (uint32_t k = tr_jdom_first(d, obj); copy && k != TR_JNONE;
         k = tr_jdom_next_member(d, obj, k)) {
        const char *key = d->nodes[k].str;
        if (strcmp(key, "controls") == 0 || strcmp(key, "groups") == 0)
            continue;
        json_t *v = tr_jdom_to_json(d, k + 1);
        if (!v || json_object_set_new_nocheck(copy, key, v)) {
            json_decref(copy);
            return NULL;
        }
    }
    return copy;
}

static int set_nonempty(json_t *obj, const char *key, json_t *arr)
{
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return TRUSTREG_OK;
    }
    return json_object_set_new(obj, key, arr) ? tr_error_oom() : TRUSTREG_OK;
}

/* Same traversal order as collect(): controls (depth-first), then groups. */
static int build_controls(sel_ctx *x, uint32_t container, json_t *out)
{
    const tr_jdom *d = x->d;
    uint32_t controls = arr_of(d, container, "controls");
    EACH(d, controls, c) {
        if (!is_obj(d, c))
            continue;
        size_t idx = x->k++;
        int rc;
        if (!is_final(x, idx)) {
            /* up-level the included descendants of a control that is not included; skip the
             * subtree quickly when nothing in it is included */
            int any = 0;
            for (size_t j = idx + 1; j < x->v[idx].end && !any; j++)
                any = is_final(x, j);
            if (!any) {
                x->k = x->v[idx].end;
                continue;
            }
            if ((rc = build_controls(x, c, out)))
                return rc;
            continue;
        }
        json_t *copy = copy_content(d, c);
        json_t *kids = json_array();
        if (!copy || !kids) {
            json_decref(kids);
            json_decref(copy);
            return tr_error_oom();
        }
        if (json_array_append_new(out, copy)) { /* took copy */
            json_decref(kids);
            return tr_error_oom();
        }
        if ((rc = build_controls(x, c, kids))) {
            json_decref(kids);
            return rc;
        }
        if ((rc = set_nonempty(copy, "controls", kids)))
            return rc;
    }
    return TRUSTREG_OK;
}

static int keep_always_jdom(const tr_jdom *d, uint32_t obj)
{
    uint32_t props = arr_of(d, obj, "props");
    EACH(d, props, p) {
        const char *n = tr_jdom_str(d, tr_jdom_get(d, p, "name"));
        const char *v = tr_jdom_str(d, tr_jdom_get(d, p, "value"));
        if (n && v && strcmp(n, "keep") == 0 && strcmp(v, "always") == 0)
            return 1;
    }
    return 0;
}

static int build_groups(sel_ctx *x, uint32_t container, json_t *out)
{
    const tr_jdom *d = x->d;
    uint32_t groups = arr_of(d, container, "groups");
    EACH(d, groups, g) {
        if (!is_obj(d, g))
            continue;
        json_t *controls = json_array();
        json_t *sub = json_array();
        int rc = (!controls || !sub) ? tr_error_oom() : TRUSTREG_OK;
        if (!rc)
            rc = build_controls(x, g, controls);
        if (!rc)
            rc = build_groups(x, g, sub);
        /* a group stays when it holds an included control, is marked keep=always, or (with
         * include-all, which includes "ALL controls and groups") holds no control at all */
        uint32_t gc = arr_of(d, g, "controls"), gg = arr_of(d, g, "groups");
        int keep = json_array_size(controls) || json_array_size(sub) || keep_always_jdom(d, g) ||
                   (x->all && (gc == TR_JNONE || d->nodes[gc].len == 0) &&
                    (gg == TR_JNONE || d->nodes[gg].len == 0));
        json_t *copy = NULL;
        if (!rc && keep) {
            copy = copy_content(d, g);
            if (!copy)
                rc = tr_error_oom();
        }
        if (!rc && keep) {
            /* set_nonempty takes the reference whatever happens */
            rc = set_nonempty(copy, "groups", sub);
            sub = NULL;
            if (!rc) {
                rc = set_nonempty(copy, "controls", controls);
                controls = NULL;
            }
            if (!rc && json_array_append(out, copy))
                rc = tr_error_oom();
        }
        json_decref(sub);
        json_decref(controls);
        json_decref(copy);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

int tr_resolve_select(const tr_jdom *d, uint32_t body, const json_t *import, const char *source,
                      const char *ptr, json_t **out)
{
    *out = NULL;
    json_t *inc = json_object_get(import, "include-controls");
    json_t *exc = json_object_get(import, "exclude-controls");
    int all = json_object_get(import, "include-all") != NULL;
    if (!all && !inc) {
        char where[1100];
        snprintf(where, sizeof where, "%s", ptr);
        return tr_error_ptr(TRUSTREG_EINPUT, source, where,
                            "an import needs include-all or include-controls");
    }
    tr_selector *si = NULL, *se = NULL;
    char sub[1100];
    int rc = TRUSTREG_OK;
    if (inc) {
        snprintf(sub, sizeof sub, "%s/include-controls", ptr);
        rc = tr_selector_new(inc, source, sub, &si);
    }
    if (!rc && exc) {
        snprintf(sub, sizeof sub, "%s/exclude-controls", ptr);
        rc = tr_selector_new(exc, source, sub, &se);
    }
    sel_ctx x = {0};
    x.d = d;
    if (!rc)
        rc = collect(&x, body, -1);
    if (!rc) {
        x.all = all;
        if (all)
            for (size_t i = 0; i < x.n; i++)
                x.v[i].inc = 1;
        if (si)
            mark(&x, si, 0);
        if (se)
            mark(&x, se, 1);
        /* ancestors of an included control are included ("Dealing with Nested Controls and
         * Groups"); an excluded ancestor stays excluded (exclusion wins) and the control is
         * up-leveled past it, but the ancestors above it are still included. Walk from the end
         * so that each chain is marked once. */
        for (size_t i = x.n; i-- > 0;) {
            if (!is_final(&x, i) && !x.v[i].anc)
                continue;
            long p = x.v[i].parent;
            if (p >= 0 && !x.v[p].anc) {
                x.v[p].inc = 1;
                x.v[p].anc = 1;
            }
        }
    }
    json_t *res = NULL, *controls = NULL, *groups = NULL;
    if (!rc) {
        res = json_object();
        controls = json_array();
        groups = json_array();
        if (!res || !controls || !groups)
            rc = tr_error_oom();
    }
    if (!rc)
        rc = build_controls(&x, body, controls);
    if (!rc)
        rc = build_groups(&x, body, groups);
    if (!rc) {
        uint32_t params = arr_of(d, body, "params");
        uint32_t resources = arr_of(d, tr_jdom_get(d, body, "back-matter"), "resources");
        uint32_t meta = tr_jdom_get(d, body, "metadata");
        json_t *jp = params != TR_JNONE ? tr_jdom_to_json(d, params) : json_array();
        json_t *jr = resources != TR_JNONE ? tr_jdom_to_json(d, resources) : json_array();
        json_t *jm = is_obj(d, meta) ? tr_jdom_to_json(d, meta) : json_object();
        if (json_object_set_new(res, "params", jp) || json_object_set(res, "controls", controls) ||
            json_object_set(res, "groups", groups) || json_object_set_new(res, "resources", jr) ||
            json_object_set_new(res, "metadata", jm))
            rc = tr_error_oom();
    }
    json_decref(controls);
    json_decref(groups);
    free(x.v);
    tr_selector_free(si);
    tr_selector_free(se);
    if (rc) {
        json_decref(res);
        return rc;
    }
    *out = res;
    return TRUSTREG_OK;
}
