/*
 * oscal/resolve_finish.c - Final Operations of profile resolution ("Backmatter Resolution",
 * "Metadata Resolution", "Pruning and Ordering" in the specification), and the canonical member
 * order the result is written in.
 *
 * Back-matter: every resource of the imported documents in import order, then the profile's own;
 * a later resource with the uuid of an earlier one replaces it (the earlier one is removed, the
 * later appended) unless only the earlier is marked keep=always. Then pruning: a resource stays
 * when it is marked keep=always or "#uuid" appears in a string anywhere in the result (metadata
 * and back-matter resources that stay included), repeated until nothing changes. Loose
 * (catalog-level) params are pruned the same way: kept when marked keep=always, referenced
 * ("{{ insert: param, id }}", "#id", depends-on) from the result, or named by a set-parameter.
 */
#include "oscal/resolve.h"
#include "trustreg/trustreg.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- canonical order (OSCAL 1.1 metaschema) ---- */

const char *const tr_order_catalog[] = {"uuid",   "metadata", "params",      "controls",
                                        "groups", "back-matter", NULL};
const char *const tr_order_metadata[] = {
    "title",   "published", "last-modified", "version",           "oscal-version",
    "revisions", "document-ids", "props",    "links",             "roles",
    "locations", "parties", "responsible-parties", "actions",      "remarks",
    NULL};
const char *const tr_order_group[] = {"id",    "class", "title",  "params",   "props",
                                      "links", "parts", "groups", "controls", NULL};
const char *const tr_order_control[] = {"id",    "class", "title", "params",   "props",
                                        "links", "parts", "controls", NULL};
const char *const tr_order_part[] = {"id",    "name",  "ns",    "class", "title",
                                     "props", "prose", "parts", "links", NULL};
const char *const tr_order_param[] = {"id",          "class",  "depends-on", "props",
                                      "links",       "label",  "usage",      "constraints",
                                      "guidelines",  "values", "select",     "remarks",
                                      NULL};

int tr_json_reorder(json_t *obj, const char *const *order)
{
    if (!json_is_object(obj))
        return TRUSTREG_OK;
    /* already in order? (the common case for content copied from a catalog); keys not in
     * order go last, in their current order */
    size_t last = 0;
    int sorted = 1;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t k = 0;
        while (order[k] && strcmp(order[k], key) != 0)
            k++;
        if (k < last) {
            sorted = 0;
            break;
        }
        last = k;
    }
    if (sorted)
        return TRUSTREG_OK;
    json_t *copy = json_copy(obj); /* shallow: holds the values while obj is rebuilt */
    if (!copy)
        return tr_error_oom();
    json_object_clear(obj);
    int rc = TRUSTREG_OK;
    for (size_t k = 0; order[k] && !rc; k++) {
        json_t *val = json_object_get(copy, order[k]);
        if (val && json_object_set(obj, order[k], val))
            rc = tr_error_oom();
    }
    json_object_foreach(copy, key, v) {
        if (!rc && !json_object_get(obj, key) && json_object_set(obj, key, v))
            rc = tr_error_oom();
    }
    json_decref(copy);
    return rc;
}

int tr_keep_always(const json_t *obj)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(obj, "props"), i, p) {
        const char *n = json_string_value(json_object_get(p, "name"));
        const char *v = json_string_value(json_object_get(p, "value"));
        if (n && v && strcmp(n, "keep") == 0 && strcmp(v, "always") == 0)
            return 1;
    }
    return 0;
}

void tr_resolve_uuid_v4(char out[37])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

/* ---- references ---- */

static int id_char(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

static int add_ref(json_t *refs, const char *s, size_t n)
{
    char buf[256];
    if (n == 0 || n >= sizeof buf)
        return TRUSTREG_OK;
    memcpy(buf, s, n);
    buf[n] = '\0';
    /* a trailing '.' ends a sentence, not an id */
    while (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    if (n == 0 || json_object_get(refs, buf))
        return TRUSTREG_OK;
    return json_object_set_new(refs, buf, json_true()) ? tr_error_oom() : TRUSTREG_OK;
}

/* Every "#id" and "{{ insert: param, id }}" in s. */
static int scan_string(json_t *refs, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '#') {
            const char *q = p + 1;
            while (id_char((unsigned char)*q))
                q++;
            if (add_ref(refs, p + 1, (size_t)(q - p - 1)))
                return TRUSTREG_EINTERNAL;
            p = q - 1;
        } else if (*p == '{' && p[1] == '{') {
            const char *q = p + 2;
            while (*q == ' ')
                q++;
            if (strncmp(q, "insert:", 7) != 0)
                continue;
            q += 7;
            while (*q == ' ')
                q++;
            if (strncmp(q, "param", 5) != 0)
                continue;
            q += 5;
            while (*q == ' ')
                q++;
            if (*q != ',')
                continue;
            q++;
            while (*q == ' ')
                q++;
            const char *e = q;
            while (id_char((unsigned char)*e))
                e++;
            if (add_ref(refs, q, (size_t)(e - q)))
                return TRUSTREG_EINTERNAL;
        }
    }
    return TRUSTREG_OK;
}

/* Collect references from every string under v; skip (at the top level of v) the member named
 * skip. Iterative over an explicit stack so deep documents cannot exhaust the C stack. */
static int scan_refs(json_t *refs, json_t *v, const char *skip)
{
    size_t cap = 64, n = 0;
    json_t **stack = malloc(cap * sizeof *stack);
    if (!stack)
        return tr_error_oom();
    stack[n++] = v;
    int rc = TRUSTREG_OK;
    int top = 1;
    while (n && !rc) {
        json_t *x = stack[--n];
        if (json_is_string(x)) {
            rc = scan_string(refs, json_string_value(x));
            continue;
        }
        size_t need = n + (json_is_object(x) ? json_object_size(x) : json_array_size(x));
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            json_t **ns = realloc(stack, cap * sizeof *ns);
            if (!ns) {
                rc = tr_error_oom();
                break;
            }
            stack = ns;
        }
        if (json_is_object(x)) {
            const char *key;
            json_t *m;
            json_object_foreach(x, key, m) {
                if (top && skip && strcmp(key, skip) == 0)
                    continue;
                if (strcmp(key, "depends-on") == 0 && json_is_string(m))
                    rc = rc ? rc : add_ref(refs, json_string_value(m), strlen(json_string_value(m)));
                stack[n++] = m;
            }
        } else if (json_is_array(x)) {
            size_t i;
            json_t *m;
            json_array_foreach(x, i, m) stack[n++] = m;
        }
        top = 0;
    }
    free(stack);
    return rc;
}

/* ---- back-matter ---- */

static const char *uuid_of(const json_t *res)
{
    return json_string_value(json_object_get(res, "uuid"));
}

/* Add res to list: replaces an earlier resource with its uuid unless only that one is kept. */
static int add_resource(json_t *list, const json_t *res)
{
    if (!json_is_object(res))
        return TRUSTREG_OK;
    const char *u = uuid_of(res);
    size_t i;
    json_t *have;
    if (u)
        json_array_foreach(list, i, have) {
            const char *h = uuid_of(have);
            if (!h || strcmp(h, u) != 0)
                continue;
            if (tr_keep_always(have) && !tr_keep_always(res))
                return TRUSTREG_OK;
            json_array_remove(list, i);
            break;
        }
    return json_array_append_new(list, json_deep_copy(res)) ? tr_error_oom() : TRUSTREG_OK;
}

static int prune_params(json_t *body, json_t *refs, const json_t *profile)
{
    json_t *params = json_object_get(body, "params");
    if (!json_is_array(params))
        return TRUSTREG_OK;
    size_t i;
    json_t *sp;
    json_array_foreach(json_object_get(json_object_get(profile, "modify"), "set-parameters"), i,
                       sp) {
        const char *id = json_string_value(json_object_get(sp, "param-id"));
        if (id && add_ref(refs, id, strlen(id)))
            return TRUSTREG_EINTERNAL;
    }
    size_t n = json_array_size(params);
    unsigned char *keep = calloc(n + 1, 1);
    if (!keep)
        return tr_error_oom();
    int changed = 1, rc = TRUSTREG_OK;
    while (changed && !rc) {
        changed = 0;
        for (i = 0; i < n && !rc; i++) {
            if (keep[i])
                continue;
            json_t *p = json_array_get(params, i);
            const char *id = json_string_value(json_object_get(p, "id"));
            if (tr_keep_always(p) || (id && json_object_get(refs, id))) {
                keep[i] = 1;
                changed = 1;
                rc = scan_refs(refs, p, NULL);
            }
        }
    }
    for (i = n; !rc && i-- > 0;)
        if (!keep[i])
            json_array_remove(params, i);
    free(keep);
    if (!rc && json_array_size(params) == 0)
        json_object_del(body, "params");
    return rc;
}

int tr_resolve_backmatter(json_t *body, const json_t *selections, const json_t *profile)
{
    json_t *list = json_array();
    json_t *refs = json_object();
    int rc = (!list || !refs) ? tr_error_oom() : TRUSTREG_OK;
    size_t i, k;
    json_t *s, *res;
    json_array_foreach(selections, i, s) {
        json_array_foreach(json_object_get(s, "resources"), k, res) {
            if (!rc)
                rc = add_resource(list, res);
        }
    }
    json_array_foreach(json_object_get(json_object_get(profile, "back-matter"), "resources"), k,
                       res) {
        if (!rc)
            rc = add_resource(list, res);
    }
    /* references from everything but the loose params and the back-matter */
    if (!rc) {
        const char *key;
        json_t *m;
        json_object_foreach(body, key, m) {
            if (strcmp(key, "params") != 0 && strcmp(key, "back-matter") != 0 && !rc)
                rc = scan_refs(refs, m, NULL);
        }
    }
    if (!rc)
        rc = prune_params(body, refs, profile);
    size_t n = json_array_size(list);
    unsigned char *keep = rc ? NULL : calloc(n + 1, 1);
    if (!rc && !keep)
        rc = tr_error_oom();
    int changed = 1;
    while (!rc && changed) {
        changed = 0;
        json_array_foreach(list, i, res) {
            const char *u = uuid_of(res);
            if (keep[i] || !(tr_keep_always(res) || (u && json_object_get(refs, u))))
                continue;
            keep[i] = 1;
            changed = 1;
            if ((rc = scan_refs(refs, res, NULL)))
                break;
        }
    }
    for (i = n; !rc && i-- > 0;)
        if (!keep[i])
            json_array_remove(list, i);
    free(keep);
    json_decref(refs);
    json_object_del(body, "back-matter");
    if (!rc && json_array_size(list)) {
        json_t *bm = json_object();
        if (!bm || json_object_set_new(bm, "resources", json_incref(list)) ||
            json_object_set_new(body, "back-matter", bm))
            rc = tr_error_oom();
    }
    json_decref(list);
    return rc;
}

/* ---- metadata ---- */

static int append_new(json_t *obj, const char *key, json_t *item)
{
    if (!item)
        return tr_error_oom();
    json_t *arr = json_object_get(obj, key);
    if (!json_is_array(arr)) {
        arr = json_array();
        if (!arr || json_object_set_new(obj, key, arr)) {
            json_decref(item);
            return tr_error_oom();
        }
    }
    return json_array_append_new(arr, item) ? tr_error_oom() : TRUSTREG_OK;
}

/* Roles and parties marked keep=always in an imported catalog are copied into the result. */
static int keep_roles_parties(json_t *meta, const json_t *imported_meta)
{
    static const char *const keys[] = {"roles", "parties"};
    static const char *const ids[] = {"id", "uuid"};
    for (int k = 0; k < 2; k++) {
        size_t i, j;
        json_t *v, *w;
        json_array_foreach(json_object_get(imported_meta, keys[k]), i, v) {
            if (!tr_keep_always(v))
                continue;
            const char *id = json_string_value(json_object_get(v, ids[k]));
            int present = 0;
            json_array_foreach(json_object_get(meta, keys[k]), j, w) {
                const char *wid = json_string_value(json_object_get(w, ids[k]));
                present |= id && wid && strcmp(id, wid) == 0;
            }
            if (!present) {
                int rc = append_new(meta, keys[k], json_deep_copy(v));
                if (rc)
                    return rc;
            }
        }
    }
    return TRUSTREG_OK;
}

int tr_resolve_metadata(tr_resolver *r, json_t *body, const json_t *profile,
                        const json_t *selections, const char *source)
{
    const json_t *pmeta = json_object_get(profile, "metadata");
    json_t *meta = json_is_object(pmeta) ? json_deep_copy(pmeta) : json_object();
    if (!meta)
        return tr_error_oom();
    char now[40];
    const char *lm = r->opts ? r->opts->last_modified : NULL;
    if (!lm) {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
        lm = now;
    }
    /* the newest oscal-version among the inputs, never newer than the one implemented here */
    char ver[32];
    int tool[3] = {0};
    sscanf(TRUSTREG_RESOLVE_OSCAL_VERSION, "%d.%d.%d", &tool[0], &tool[1], &tool[2]);
    const int *v = r->ver;
    if (!r->ver_seen || v[0] > tool[0] || (v[0] == tool[0] && v[1] > tool[1]) ||
        (v[0] == tool[0] && v[1] == tool[1] && v[2] > tool[2]))
        v = tool;
    snprintf(ver, sizeof ver, "%d.%d.%d", v[0], v[1], v[2]);
    int rc = TRUSTREG_OK;
    if (json_object_set_new(meta, "last-modified", json_string(lm)) ||
        json_object_set_new(meta, "oscal-version", json_string(ver)))
        rc = tr_error_oom();
    char tool_name[64];
    snprintf(tool_name, sizeof tool_name, "trustreg %s", trustreg_version());
    if (!rc)
        rc = append_new(meta, "props",
                        json_pack("{s:s, s:s}", "name", "resolution-tool", "value", tool_name));
    if (!rc)
        rc = append_new(meta, "props",
                        json_pack("{s:s, s:s}", "name", "source-profile", "value", source));
    if (!rc)
        rc = append_new(meta, "links",
                        json_pack("{s:s, s:s}", "href", source, "rel", "source-profile"));
    size_t i;
    json_t *s;
    json_array_foreach(selections, i, s) {
        if (!rc)
            rc = keep_roles_parties(meta, json_object_get(s, "metadata"));
    }
    if (!rc)
        rc = tr_json_reorder(meta, tr_order_metadata);
    if (!rc && json_object_set_new(body, "metadata", meta))
        return tr_error_oom();
    if (rc)
        json_decref(meta);
    return rc;
}
