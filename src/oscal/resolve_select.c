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

/* ---- the catalog's controls in document order ---- */

typedef struct node {
    const char *id;
    long parent; /* index of the parent control, -1 at the top or directly in a group */
    size_t end;  /* one past the last descendant */
    unsigned char inc, exc;
    unsigned char anc; /* an ancestor of a finally included control */
} node;

typedef struct sel_ctx {
    node *v;
    size_t n, cap;
    size_t k; /* cursor while building */
    int all;  /* include-all: groups without any control are included too */
} sel_ctx;

static int collect(sel_ctx *x, const json_t *container, long parent)
{
    const json_t *controls = json_object_get(container, "controls");
    size_t i;
    const json_t *c;
    if (json_is_array(controls)) {
        json_array_foreach(controls, i, c) {
            if (!json_is_object(c))
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
            x->v[idx] = (node){json_string_value(json_object_get(c, "id")), parent, 0, 0, 0, 0};
            int rc = collect(x, c, (long)idx);
            if (rc)
                return rc;
            x->v[idx].end = x->n;
        }
    }
    const json_t *groups = json_object_get(container, "groups");
    if (json_is_array(groups)) {
        json_array_foreach(groups, i, c) {
            if (!json_is_object(c))
                continue;
            int rc = collect(x, c, parent);
            if (rc)
                return rc;
        }
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

/* A copy of obj without its "controls" and "groups" members (everything else deep-copied). */
static json_t *copy_content(const json_t *obj)
{
    json_t *copy = json_object();
    if (!copy)
        return NULL;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (strcmp(key, "controls") == 0 || strcmp(key, "groups") == 0)
            continue;
        if (json_object_set_new(copy, key, json_deep_copy(v))) {
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
static int build_groups(sel_ctx *x, const json_t *container, json_t *out);

static int build_controls(sel_ctx *x, const json_t *container, json_t *out)
{
    const json_t *controls = json_object_get(container, "controls");
    if (!json_is_array(controls))
        return TRUSTREG_OK;
    size_t i;
    const json_t *c;
    json_array_foreach(controls, i, c) {
        if (!json_is_object(c))
            continue;
        size_t idx = x->k++;
        int rc;
        if (!is_final(x, idx)) {
            /* up-level the included descendants of a control that is not included */
            if ((rc = build_controls(x, c, out)))
                return rc;
            continue;
        }
        json_t *copy = copy_content(c);
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

static int build_groups(sel_ctx *x, const json_t *container, json_t *out)
{
    const json_t *groups = json_object_get(container, "groups");
    if (!json_is_array(groups))
        return TRUSTREG_OK;
    size_t i;
    const json_t *g;
    json_array_foreach(groups, i, g) {
        if (!json_is_object(g))
            continue;
        json_t *copy = copy_content(g);
        json_t *controls = json_array();
        json_t *sub = json_array();
        int rc = (!copy || !controls || !sub) ? tr_error_oom() : TRUSTREG_OK;
        if (!rc)
            rc = build_controls(x, g, controls);
        if (!rc)
            rc = build_groups(x, g, sub);
        /* a group stays when it holds an included control, is marked keep=always, or (with
         * include-all, which includes "ALL controls and groups") holds no control at all */
        int keep = json_array_size(controls) || json_array_size(sub) || tr_keep_always(g) ||
                   (x->all && !json_array_size(json_object_get(g, "controls")) &&
                    !json_array_size(json_object_get(g, "groups")));
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

int tr_resolve_select(const json_t *body, const json_t *import, const char *source,
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
        json_t *params = json_object_get(body, "params");
        json_t *bm = json_object_get(body, "back-matter");
        json_t *resources = json_object_get(bm, "resources");
        if (json_object_set_new(res, "params",
                                json_is_array(params) ? json_deep_copy(params) : json_array()) ||
            json_object_set(res, "controls", controls) || json_object_set(res, "groups", groups) ||
            json_object_set_new(res, "resources",
                                json_is_array(resources) ? json_incref(resources) : json_array()))
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
