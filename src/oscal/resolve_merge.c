/*
 * oscal/resolve_merge.c - the Merge Phase of profile resolution: the "combine" directive (what
 * happens to controls with the same id) and the "structuring" directive (how the result is
 * organised), applied to the selections of the Import Phase in import order.
 *
 * combine: keep (default) keeps clashing controls; use-first keeps the first control with an id
 * in a depth-first traversal of the imports and drops the later ones (their included child
 * controls are up-leveled in their place); merge (deprecated, behaviour undefined by the current
 * specification) is use-first where the first control also receives the params, props, links and
 * parts of the later ones that it does not already have.
 * structuring: flat (default) lists every control directly under the catalog, no groups, no
 * nesting; as-is keeps the imported structure (groups with the same id from several imports are
 * merged); custom builds the groups the profile declares, filled by insert-controls.
 */
#include "oscal/resolve.h"
#include "util/error.h"
#include "util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- combine ---- */

static int same_item(const json_t *a, const json_t *b)
{
    const char *ia = json_string_value(json_object_get(a, "id"));
    const char *ib = json_string_value(json_object_get(b, "id"));
    if (ia && ib)
        return strcmp(ia, ib) == 0;
    return json_equal((json_t *)a, (json_t *)b);
}

/* combine "merge": first receives what dup has and it has not */
static int absorb(json_t *first, const json_t *dup)
{
    static const char *const keys[] = {"params", "props", "links", "parts"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        json_t *src = json_object_get(dup, keys[k]);
        if (!json_is_array(src))
            continue;
        json_t *dst = json_object_get(first, keys[k]);
        if (!json_is_array(dst)) {
            dst = json_array();
            if (!dst || json_object_set_new(first, keys[k], dst))
                return tr_error_oom();
        }
        size_t i, j;
        json_t *v, *w;
        json_array_foreach(src, i, v) {
            int found = 0;
            json_array_foreach(dst, j, w) {
                if (same_item(v, w)) {
                    found = 1;
                    break;
                }
            }
            if (!found && json_array_append_new(dst, json_deep_copy(v)))
                return tr_error_oom();
        }
    }
    return tr_json_reorder(first, tr_order_control);
}

/* Drop controls whose id was seen before; their child controls take their place. */
static int dedupe_controls(json_t *arr, json_t *seen, int merge)
{
    if (!json_is_array(arr))
        return TRUSTREG_OK;
    for (size_t i = 0; i < json_array_size(arr);) {
        json_t *c = json_array_get(arr, i);
        const char *id = json_string_value(json_object_get(c, "id"));
        json_t *first = id ? json_object_get(seen, id) : NULL;
        if (!first) {
            if (id && json_object_set(seen, id, c))
                return tr_error_oom();
            int rc = dedupe_controls(json_object_get(c, "controls"), seen, merge);
            if (rc)
                return rc;
            i++;
            continue;
        }
        json_incref(c);
        if (merge) {
            int rc = absorb(first, c);
            if (rc) {
                json_decref(c);
                return rc;
            }
        }
        json_array_remove(arr, i);
        json_t *kids = json_object_get(c, "controls");
        size_t n = json_array_size(kids);
        for (size_t k = 0; k < n; k++)
            if (json_array_insert(arr, i + k, json_array_get(kids, k))) {
                json_decref(c);
                return tr_error_oom();
            }
        json_decref(c);
        /* the up-leveled children are examined next, at position i */
    }
    return TRUSTREG_OK;
}

static int dedupe_groups(json_t *groups, json_t *seen, int merge)
{
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        int rc = dedupe_controls(json_object_get(g, "controls"), seen, merge);
        if (!rc && json_is_array(json_object_get(g, "groups")))
            rc = dedupe_groups(json_object_get(g, "groups"), seen, merge);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

/* ---- structuring ---- */

static int append_all(json_t *dst, const json_t *src)
{
    return json_is_array(src) && json_array_extend(dst, (json_t *)src) ? tr_error_oom()
                                                                       : TRUSTREG_OK;
}

/* as-is across imports: a group whose id was already placed at this level receives the content */
static int merge_groups(json_t *out, const json_t *groups)
{
    size_t i, j;
    json_t *g, *h;
    json_array_foreach(groups, i, g) {
        const char *id = json_string_value(json_object_get(g, "id"));
        json_t *existing = NULL;
        if (id)
            json_array_foreach(out, j, h) {
                const char *hid = json_string_value(json_object_get(h, "id"));
                if (hid && strcmp(hid, id) == 0) {
                    existing = h;
                    break;
                }
            }
        if (!existing) {
            if (json_array_append(out, g))
                return tr_error_oom();
            continue;
        }
        static const char *const keys[] = {"groups", "controls"};
        for (int k = 0; k < 2; k++) {
            json_t *src = json_object_get(g, keys[k]);
            if (!json_array_size(src))
                continue;
            json_t *dst = json_object_get(existing, keys[k]);
            if (!dst) {
                dst = json_array();
                if (!dst || json_object_set_new(existing, keys[k], dst))
                    return tr_error_oom();
            }
            int rc = k == 0 ? merge_groups(dst, src) : append_all(dst, src);
            if (rc)
                return rc;
        }
        int rc = tr_json_reorder(existing, tr_order_group);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

/* Every control in document order (depth-first), with the end of its subtree. */
typedef struct flat_entry {
    json_t *control;
    size_t end;
} flat_entry;

typedef struct flat_list {
    flat_entry *v;
    size_t n, cap;
} flat_list;

static int flatten(flat_list *f, const json_t *container)
{
    size_t i;
    json_t *c;
    json_t *controls = json_object_get(container, "controls");
    json_array_foreach(controls, i, c) {
        if (f->n == f->cap) {
            size_t cap = f->cap ? 2 * f->cap : 256;
            flat_entry *nv = realloc(f->v, cap * sizeof *nv);
            if (!nv)
                return tr_error_oom();
            f->v = nv;
            f->cap = cap;
        }
        size_t idx = f->n++;
        f->v[idx].control = c;
        int rc = flatten(f, c);
        if (rc)
            return rc;
        f->v[idx].end = f->n;
    }
    json_t *groups = json_object_get(container, "groups");
    json_array_foreach(groups, i, c) {
        int rc = flatten(f, c);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

/* A deep copy of a control without its child controls (placed on their own in flat and
 * custom; the same control may be inserted twice in custom, so nothing is shared). */
static json_t *control_alone(const json_t *c)
{
    json_t *copy = json_object();
    if (!copy)
        return NULL;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)c, key, v) {
        if (strcmp(key, "controls") != 0 && json_object_set_new(copy, key, json_deep_copy(v))) {
            json_decref(copy);
            return NULL;
        }
    }
    return copy;
}

typedef struct custom_ctx {
    tr_resolver *r;
    const char *source;
    flat_list flat;
    json_t *groups_by_id; /* id -> imported group (as-is structure) */
} custom_ctx;

static int index_groups(json_t *index, const json_t *groups)
{
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        const char *id = json_string_value(json_object_get(g, "id"));
        if (id && !json_object_get(index, id) && json_object_set(index, id, g))
            return tr_error_oom();
        int rc = index_groups(index, json_object_get(g, "groups"));
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

typedef struct pick {
    size_t idx;
    const char *id;
} pick;

static int by_id_asc(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    int c = strcmp(x->id ? x->id : "", y->id ? y->id : "");
    return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static int by_id_desc(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    int c = strcmp(y->id ? y->id : "", x->id ? x->id : "");
    return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/* insert-controls: select among the included controls, in order, into out (array) */
static int insert_controls(custom_ctx *x, const json_t *ins, const char *ptr, json_t *out)
{
    char sub[1240];
    if (!json_is_object(ins))
        return tr_error_ptr(TRUSTREG_EINPUT, x->source, ptr, "expected an object, found %s",
                            tr_json_type_name(ins));
    const char *order = json_string_value(json_object_get(ins, "order"));
    if (order && strcmp(order, "keep") != 0 && strcmp(order, "ascending") != 0 &&
        strcmp(order, "descending") != 0) {
        snprintf(sub, sizeof sub, "%s/order", ptr);
        return tr_error_ptr(TRUSTREG_EINPUT, x->source, sub,
                            "expected \"keep\", \"ascending\" or \"descending\", found \"%.40s\"",
                            order);
    }
    int all = json_object_get(ins, "include-all") != NULL;
    tr_selector *si = NULL, *se = NULL;
    int rc = TRUSTREG_OK;
    if (json_object_get(ins, "include-controls")) {
        snprintf(sub, sizeof sub, "%s/include-controls", ptr);
        rc = tr_selector_new(json_object_get(ins, "include-controls"), x->source, sub, &si);
    }
    if (!rc && json_object_get(ins, "exclude-controls")) {
        snprintf(sub, sizeof sub, "%s/exclude-controls", ptr);
        rc = tr_selector_new(json_object_get(ins, "exclude-controls"), x->source, sub, &se);
    }
    unsigned char *sel = rc ? NULL : calloc(x->flat.n + 1, 1);
    pick *picks = rc ? NULL : calloc(x->flat.n + 1, sizeof *picks);
    if (!rc && (!sel || !picks))
        rc = tr_error_oom();
    size_t n = 0;
    for (size_t i = 0; !rc && i < x->flat.n; i++) {
        const char *id = json_string_value(json_object_get(x->flat.v[i].control, "id"));
        int m = all ? 1 : tr_selector_match(si, id);
        if (m)
            for (size_t j = i; j < (m == 2 ? x->flat.v[i].end : i + 1); j++)
                sel[j] |= 1;
        int e = tr_selector_match(se, id);
        if (e)
            for (size_t j = i; j < (e == 2 ? x->flat.v[i].end : i + 1); j++)
                sel[j] |= 2;
    }
    for (size_t i = 0; !rc && i < x->flat.n; i++)
        if (sel[i] == 1)
            picks[n++] = (pick){i, json_string_value(json_object_get(x->flat.v[i].control, "id"))};
    if (!rc && n == 0)
        tr_resolve_warn(x->r, "%s: at %s: insert-controls selects no control", x->source, ptr);
    if (!rc && order && strcmp(order, "ascending") == 0)
        qsort(picks, n, sizeof *picks, by_id_asc);
    else if (!rc && order && strcmp(order, "descending") == 0)
        qsort(picks, n, sizeof *picks, by_id_desc);
    for (size_t i = 0; !rc && i < n; i++)
        if (json_array_append_new(out, control_alone(x->flat.v[picks[i].idx].control)))
            rc = tr_error_oom();
    free(sel);
    free(picks);
    tr_selector_free(si);
    tr_selector_free(se);
    return rc;
}

static int custom_level(custom_ctx *x, const json_t *spec, const char *ptr, json_t *controls,
                        json_t *groups);

static int custom_group(custom_ctx *x, const json_t *spec, const char *ptr, json_t *out)
{
    if (!json_is_object(spec))
        return tr_error_ptr(TRUSTREG_EINPUT, x->source, ptr, "expected a group object, found %s",
                            tr_json_type_name(spec));
    const char *id = json_string_value(json_object_get(spec, "id"));
    json_t *imported = id ? json_object_get(x->groups_by_id, id) : NULL;
    json_t *g = json_object();
    if (!g)
        return tr_error_oom();
    const char *key;
    json_t *v;
    /* an imported group with this id gives its content first ("Creating Custom Groups") */
    if (imported)
        json_object_foreach(imported, key, v) {
            if (strcmp(key, "controls") && strcmp(key, "groups") && json_object_set(g, key, v))
                goto oom;
        }
    json_object_foreach((json_t *)spec, key, v) {
        if (!strcmp(key, "insert-controls") || !strcmp(key, "groups") || !strcmp(key, "controls"))
            continue;
        json_t *have = json_object_get(g, key);
        if (json_is_array(have) && json_is_array(v)) {
            json_t *merged = json_copy(have);
            size_t i, j;
            json_t *item, *w;
            if (!merged)
                goto oom;
            json_array_foreach(v, i, item) {
                int dup = 0;
                json_array_foreach(have, j, w) dup |= json_equal(item, w);
                if (!dup && json_array_append(merged, item)) {
                    json_decref(merged);
                    goto oom;
                }
            }
            if (json_object_set_new(g, key, merged))
                goto oom;
        } else if (json_object_set_new(g, key, json_deep_copy(v))) {
            goto oom;
        }
    }
    json_t *controls = json_array(), *groups = json_array();
    int rc = (!controls || !groups) ? tr_error_oom() : custom_level(x, spec, ptr, controls, groups);
    if (!rc && json_array_size(groups) && json_object_set(g, "groups", groups))
        rc = tr_error_oom();
    if (!rc && json_array_size(controls) && json_object_set(g, "controls", controls))
        rc = tr_error_oom();
    json_decref(controls);
    json_decref(groups);
    if (!rc)
        rc = tr_json_reorder(g, tr_order_group);
    if (!rc && json_array_append(out, g))
        rc = tr_error_oom();
    json_decref(g);
    return rc;
oom:
    json_decref(g);
    return tr_error_oom();
}

static int custom_level(custom_ctx *x, const json_t *spec, const char *ptr, json_t *controls,
                        json_t *groups)
{
    char sub[1200];
    size_t i;
    json_t *v;
    json_t *ins = json_object_get(spec, "insert-controls");
    json_array_foreach(ins, i, v) {
        snprintf(sub, sizeof sub, "%s/insert-controls/%zu", ptr, i);
        int rc = insert_controls(x, v, sub, controls);
        if (rc)
            return rc;
    }
    json_t *gs = json_object_get(spec, "groups");
    json_array_foreach(gs, i, v) {
        snprintf(sub, sizeof sub, "%s/groups/%zu", ptr, i);
        int rc = custom_group(x, v, sub, groups);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

static int set_array(json_t *body, const char *key, json_t *arr)
{
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return TRUSTREG_OK;
    }
    return json_object_set_new(body, key, arr) ? tr_error_oom() : TRUSTREG_OK;
}

int tr_resolve_merge(tr_resolver *r, json_t *selections, const json_t *merge, const char *source,
                     json_t *body)
{
    const char *method = "keep";
    int n_struct = 0;
    const char *structure = "flat"; /* no structuring directive: flat ("No Structuring Directive") */
    if (merge) {
        static const char *const kinds[] = {"flat", "as-is", "custom"};
        for (int k = 0; k < 3; k++)
            if (json_object_get(merge, kinds[k])) {
                n_struct++;
                structure = kinds[k];
            }
        if (n_struct > 1)
            return tr_error_ptr(TRUSTREG_EINPUT, source, "/profile/merge",
                                "more than one structuring directive (flat, as-is, custom); the "
                                "specification allows one");
        json_t *asis = json_object_get(merge, "as-is");
        if (asis && json_is_false(asis))
            structure = "flat"; /* "as-is": false asks for no structure */
        json_t *combine = json_object_get(merge, "combine");
        const char *m = json_string_value(json_object_get(combine, "method"));
        if (m) {
            if (strcmp(m, "keep") && strcmp(m, "use-first") && strcmp(m, "merge"))
                return tr_error_ptr(TRUSTREG_EINPUT, source, "/profile/merge/combine/method",
                                    "expected \"use-first\", \"merge\" or \"keep\", found \"%.40s\"",
                                    m);
            method = m;
        }
    }
    size_t i;
    json_t *s;
    if (strcmp(method, "keep") != 0) {
        json_t *seen = json_object();
        if (!seen)
            return tr_error_oom();
        int merge_ = strcmp(method, "merge") == 0;
        int rc = TRUSTREG_OK;
        json_array_foreach(selections, i, s) {
            rc = dedupe_controls(json_object_get(s, "controls"), seen, merge_);
            if (!rc)
                rc = dedupe_groups(json_object_get(s, "groups"), seen, merge_);
            if (rc)
                break;
        }
        json_decref(seen);
        if (rc)
            return rc;
    }
    json_t *params = json_array(), *controls = json_array(), *groups = json_array();
    int rc = (!params || !controls || !groups) ? tr_error_oom() : TRUSTREG_OK;
    /* loose params: under use-first (and merge) a param id seen before is dropped too, params
     * being objects with a distinct id like controls ("Distinct ID of Objects") */
    json_t *seen_params = strcmp(method, "keep") != 0 ? json_object() : NULL;
    json_array_foreach(selections, i, s) {
        size_t k;
        json_t *p;
        json_array_foreach(json_object_get(s, "params"), k, p) {
            const char *id = json_string_value(json_object_get(p, "id"));
            if (rc || (seen_params && id && json_object_get(seen_params, id)))
                continue;
            if ((seen_params && id && json_object_set(seen_params, id, json_true())) ||
                json_array_append(params, p))
                rc = tr_error_oom();
        }
    }
    json_decref(seen_params);
    if (!rc && strcmp(structure, "as-is") == 0) {
        json_array_foreach(selections, i, s) {
            if (!rc)
                rc = append_all(controls, json_object_get(s, "controls"));
            if (!rc)
                rc = merge_groups(groups, json_object_get(s, "groups"));
        }
    } else if (!rc) {
        custom_ctx x = {r, source, {0}, NULL};
        json_array_foreach(selections, i, s) {
            if (!rc)
                rc = flatten(&x.flat, s);
        }
        if (!rc && strcmp(structure, "flat") == 0) {
            for (size_t k = 0; !rc && k < x.flat.n; k++)
                if (json_array_append_new(controls, control_alone(x.flat.v[k].control)))
                    rc = tr_error_oom();
        } else if (!rc) {
            x.groups_by_id = json_object();
            if (!x.groups_by_id)
                rc = tr_error_oom();
            json_array_foreach(selections, i, s) {
                if (!rc)
                    rc = index_groups(x.groups_by_id, json_object_get(s, "groups"));
            }
            const json_t *custom = json_object_get(merge, "custom");
            if (!rc && !json_is_object(custom))
                rc = tr_error_ptr(TRUSTREG_EINPUT, source, "/profile/merge/custom",
                                  "expected an object, found %s", tr_json_type_name(custom));
            if (!rc)
                rc = custom_level(&x, custom, "/profile/merge/custom", controls, groups);
            json_decref(x.groups_by_id);
        }
        free(x.flat.v);
    }
    if (rc) {
        json_decref(params);
        json_decref(controls);
        json_decref(groups);
        return rc;
    }
    /* set_array takes each reference whatever happens */
    rc = set_array(body, "params", params);
    int rc2 = set_array(body, "controls", controls);
    int rc3 = set_array(body, "groups", groups);
    return rc ? rc : rc2 ? rc2 : rc3;
}
