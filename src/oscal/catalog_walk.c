/*
 * oscal/catalog_walk.c - the catalog walker and prose renderer behind the control index.
 *
 * Two passes over the flat tree: the first indexes every parameter of the catalog (catalog,
 * group and control level) by id, so that prose can show a parameter an ancestor defines; the
 * second walks groups and controls in document order, checks member types and emits rows.
 */
#include "oscal/catalog_walk.h"
#include "oscal/doc.h"
#include "util/error.h"
#include "util/mem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PARAM_NESTING 8 /* a parameter whose choices insert parameters, and so on */

typedef struct walk {
    const char *source;
    const tr_jdom *d;
    tr_param_index params;
    const tr_catalog_sink *sink;
    tr_jptr ptr;
    long ord;
    long controls;
    long groups;
} walk;

/* ---- parameter index ---------------------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const tr_param_entry *)a)->id, ((const tr_param_entry *)b)->id);
}

static int collect(tr_param_index *idx, uint32_t node, int depth)
{
    const tr_jdom *d = idx->dom;
    if (depth > TRUSTREG_OSCAL_MAX_DEPTH)
        return TRUSTREG_OK;
    uint32_t params = tr_jdom_get(d, node, "params");
    if (params != TR_JNONE && d->nodes[params].type == TR_J_ARRAY) {
        for (uint32_t p = tr_jdom_first(d, params); p != TR_JNONE; p = tr_jdom_next(d, params, p)) {
            const char *id = tr_jdom_str(d, tr_jdom_get(d, p, "id"));
            if (!id)
                continue;
            if (idx->n == idx->cap) {
                size_t ncap = idx->cap ? idx->cap * 2 : 256;
                tr_param_entry *e = realloc(idx->entries, ncap * sizeof *e);
                if (!e)
                    return tr_error_oom();
                idx->entries = e;
                idx->cap = ncap;
            }
            idx->entries[idx->n++] = (tr_param_entry){id, p};
        }
    }
    static const char *const kids[] = {"groups", "controls"};
    for (int k = 0; k < 2; k++) {
        uint32_t arr = tr_jdom_get(d, node, kids[k]);
        if (arr == TR_JNONE || d->nodes[arr].type != TR_J_ARRAY)
            continue;
        for (uint32_t c = tr_jdom_first(d, arr); c != TR_JNONE; c = tr_jdom_next(d, arr, c)) {
            int rc = collect(idx, c, depth + 1);
            if (rc)
                return rc;
        }
    }
    return TRUSTREG_OK;
}

int tr_param_index_build(tr_param_index *idx, const tr_jdom *dom, uint32_t node)
{
    memset(idx, 0, sizeof *idx);
    idx->dom = dom;
    int rc = collect(idx, node, 0);
    if (rc)
        return rc;
    /* by id; among equal ids find_param picks the first definition in document order */
    if (idx->n > 1)
        qsort(idx->entries, idx->n, sizeof *idx->entries, cmp_entry);
    return TRUSTREG_OK;
}

void tr_param_index_free(tr_param_index *idx)
{
    free(idx->entries);
    memset(idx, 0, sizeof *idx);
}

static uint32_t find_param(const tr_param_index *idx, const char *id)
{
    if (!idx || !idx->n)
        return TR_JNONE;
    size_t lo = 0, hi = idx->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(idx->entries[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == idx->n || strcmp(idx->entries[lo].id, id) != 0)
        return TR_JNONE;
    /* among equal ids the one earliest in the document */
    uint32_t best = idx->entries[lo].node;
    for (size_t k = lo + 1; k < idx->n && strcmp(idx->entries[k].id, id) == 0; k++)
        if (idx->entries[k].node < best)
            best = idx->entries[k].node;
    return best;
}

/* ---- prose rendering ---------------------------------------------------------------------- */

static void render_param(tr_buf *out, uint32_t param, const tr_param_index *params, int nesting);

static void render_prose_n(tr_buf *out, const char *prose, const tr_param_index *params,
                           int nesting)
{
    const char *p = prose;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            tr_buf_puts(out, p);
            return;
        }
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            tr_buf_puts(out, p);
            return;
        }
        tr_buf_append(out, p, (size_t)(open - p));
        /* parse "insert: param, ID" with free white space */
        const char *s = open + 2;
        while (s < close && isspace((unsigned char)*s))
            s++;
        int handled = 0;
        if ((size_t)(close - s) > 7 && strncmp(s, "insert:", 7) == 0) {
            s += 7;
            while (s < close && isspace((unsigned char)*s))
                s++;
            if ((size_t)(close - s) > 5 && strncmp(s, "param", 5) == 0) {
                s += 5;
                while (s < close && isspace((unsigned char)*s))
                    s++;
                if (s < close && *s == ',') {
                    s++;
                    while (s < close && isspace((unsigned char)*s))
                        s++;
                    const char *e = close;
                    while (e > s && isspace((unsigned char)e[-1]))
                        e--;
                    char id[256];
                    size_t n = (size_t)(e - s);
                    if (n > 0 && n < sizeof id) {
                        memcpy(id, s, n);
                        id[n] = '\0';
                        uint32_t param = find_param(params, id);
                        if (param != TR_JNONE && nesting < MAX_PARAM_NESTING)
                            render_param(out, param, params, nesting + 1);
                        else
                            tr_buf_printf(out, "[Assignment: %s]", id);
                        handled = 1;
                    }
                }
            }
        }
        if (!handled)
            tr_buf_append(out, open, (size_t)(close + 2 - open));
        p = close + 2;
    }
}

void tr_render_prose(tr_buf *out, const char *prose, const tr_param_index *params)
{
    render_prose_n(out, prose, params, 0);
}

static void render_list(tr_buf *out, uint32_t arr, const char *sep, const tr_param_index *params,
                        int nesting)
{
    const tr_jdom *d = params->dom;
    int first = 1;
    for (uint32_t v = tr_jdom_first(d, arr); v != TR_JNONE; v = tr_jdom_next(d, arr, v)) {
        const char *s = tr_jdom_str(d, v);
        if (!first)
            tr_buf_puts(out, sep);
        first = 0;
        if (s)
            render_prose_n(out, s, params, nesting);
    }
}

static void render_param(tr_buf *out, uint32_t param, const tr_param_index *params, int nesting)
{
    const tr_jdom *d = params->dom;
    uint32_t values = tr_jdom_get(d, param, "values");
    if (values != TR_JNONE && d->nodes[values].type == TR_J_ARRAY && d->nodes[values].len > 0) {
        render_list(out, values, ", ", params, nesting);
        return;
    }
    uint32_t select = tr_jdom_get(d, param, "select");
    if (select != TR_JNONE && d->nodes[select].type == TR_J_OBJECT) {
        const char *how = tr_jdom_str(d, tr_jdom_get(d, select, "how-many"));
        tr_buf_puts(out, how && strcmp(how, "one-or-more") == 0 ? "[Selection (one or more): "
                                                                : "[Selection: ");
        render_list(out, tr_jdom_get(d, select, "choice"), "; ", params, nesting);
        tr_buf_puts(out, "]");
        return;
    }
    const char *label = tr_jdom_str(d, tr_jdom_get(d, param, "label"));
    const char *id = tr_jdom_str(d, tr_jdom_get(d, param, "id"));
    tr_buf_puts(out, "[Assignment: ");
    render_prose_n(out, label ? label : (id ? id : "?"), params, nesting);
    tr_buf_puts(out, "]");
}

/* ---- type checks ---------------------------------------------------------------------------- */

/* Check obj[key] is an array of objects when present; *out is TR_JNONE when absent. */
static int get_object_array(walk *w, uint32_t obj, const char *key, uint32_t *out)
{
    int rc = tr_jdom_get_typed(w->d, obj, key, TR_J_ARRAY, 0, w->source, &w->ptr, out);
    if (rc || *out == TR_JNONE)
        return rc;
    size_t i = 0;
    for (uint32_t v = tr_jdom_first(w->d, *out); v != TR_JNONE; v = tr_jdom_next(w->d, *out, v), i++) {
        if (w->d->nodes[v].type != TR_J_OBJECT) {
            size_t m1 = tr_jptr_push_key(&w->ptr, key);
            tr_jptr_push_index(&w->ptr, i);
            rc = tr_error_ptr(TRUSTREG_EINPUT, w->source, tr_jptr_str(&w->ptr),
                              "expected an object, found %s", tr_jdom_type_name(w->d, v));
            tr_jptr_pop(&w->ptr, m1);
            return rc;
        }
    }
    return TRUSTREG_OK;
}

/* Run check on every element of obj[key] (an array of objects), with the pointer kept right. */
static int each(walk *w, uint32_t obj, const char *key, int (*check)(walk *, uint32_t))
{
    uint32_t arr;
    int rc = get_object_array(w, obj, key, &arr);
    if (rc || arr == TR_JNONE)
        return rc;
    size_t m1 = tr_jptr_push_key(&w->ptr, key);
    size_t i = 0;
    for (uint32_t v = tr_jdom_first(w->d, arr); v != TR_JNONE; v = tr_jdom_next(w->d, arr, v), i++) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        if ((rc = check(w, v)))
            return rc;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return TRUSTREG_OK;
}

static int check_prop(walk *w, uint32_t p)
{
    const char *s;
    int rc;
    if ((rc = tr_jdom_get_string(w->d, p, "name", 1, w->source, &w->ptr, &s)) ||
        (rc = tr_jdom_get_string(w->d, p, "value", 1, w->source, &w->ptr, &s)) ||
        (rc = tr_jdom_get_string(w->d, p, "class", 0, w->source, &w->ptr, &s)))
        return rc;
    return TRUSTREG_OK;
}

static int check_param(walk *w, uint32_t p)
{
    const char *s;
    uint32_t v;
    int rc;
    if ((rc = tr_jdom_get_string(w->d, p, "id", 1, w->source, &w->ptr, &s)) ||
        (rc = tr_jdom_get_string(w->d, p, "label", 0, w->source, &w->ptr, &s)) ||
        (rc = tr_jdom_get_typed(w->d, p, "values", TR_J_ARRAY, 0, w->source, &w->ptr, &v)) ||
        (rc = tr_jdom_get_typed(w->d, p, "select", TR_J_OBJECT, 0, w->source, &w->ptr, &v)))
        return rc;
    return TRUSTREG_OK;
}

/* Parts: objects with a string name, optional string prose, props, nested parts. */
static int check_part(walk *w, uint32_t p)
{
    const char *s;
    int rc;
    if ((rc = tr_jdom_get_string(w->d, p, "name", 1, w->source, &w->ptr, &s)) ||
        (rc = tr_jdom_get_string(w->d, p, "prose", 0, w->source, &w->ptr, &s)) ||
        (rc = each(w, p, "props", check_prop)) || (rc = each(w, p, "parts", check_part)))
        return rc;
    return TRUSTREG_OK;
}

static int check_common(walk *w, uint32_t node)
{
    int rc;
    if ((rc = each(w, node, "props", check_prop)) || (rc = each(w, node, "params", check_param)) ||
        (rc = each(w, node, "parts", check_part)))
        return rc;
    return TRUSTREG_OK;
}

/* ---- rendering control text --------------------------------------------------------------- */

static const char *prop_value(const tr_jdom *d, uint32_t obj, const char *name,
                              int prefer_no_class)
{
    uint32_t props = tr_jdom_get(d, obj, "props");
    const char *any = NULL;
    for (uint32_t p = tr_jdom_first(d, props); p != TR_JNONE; p = tr_jdom_next(d, props, p)) {
        const char *n = tr_jdom_str(d, tr_jdom_get(d, p, "name"));
        if (!n || strcmp(n, name) != 0)
            continue;
        const char *v = tr_jdom_str(d, tr_jdom_get(d, p, "value"));
        if (!prefer_no_class || tr_jdom_get(d, p, "class") == TR_JNONE)
            return v;
        if (!any)
            any = v;
    }
    return any;
}

static void render_part_tree(walk *w, tr_buf *out, uint32_t part, int indent)
{
    const tr_jdom *d = w->d;
    const char *prose = tr_jdom_str(d, tr_jdom_get(d, part, "prose"));
    const char *label = prop_value(d, part, "label", 1);
    if (prose || label) {
        for (int i = 0; i < indent; i++)
            tr_buf_puts(out, "  ");
        if (label) {
            tr_buf_puts(out, label);
            tr_buf_puts(out, " ");
        }
        if (prose) {
            /* some catalogs start item prose with a space before an insert */
            while (label && (*prose == ' ' || *prose == '\t'))
                prose++;
            tr_render_prose(out, prose, &w->params);
        }
        tr_buf_puts(out, "\n");
    }
    uint32_t parts = tr_jdom_get(d, part, "parts");
    for (uint32_t sub = tr_jdom_first(d, parts); sub != TR_JNONE; sub = tr_jdom_next(d, parts, sub))
        render_part_tree(w, out, sub, (prose || label) ? indent + 1 : indent);
}

static char *render_named_part(walk *w, uint32_t control, const char *name)
{
    const tr_jdom *d = w->d;
    tr_buf out = {0};
    uint32_t parts = tr_jdom_get(d, control, "parts");
    for (uint32_t p = tr_jdom_first(d, parts); p != TR_JNONE; p = tr_jdom_next(d, parts, p)) {
        const char *n = tr_jdom_str(d, tr_jdom_get(d, p, "name"));
        if (n && strcmp(n, name) == 0)
            render_part_tree(w, &out, p, 0);
    }
    while (out.len && out.data[out.len - 1] == '\n')
        out.data[--out.len] = '\0';
    return tr_buf_steal(&out);
}

static void json_string_into(tr_buf *out, const char *s)
{
    tr_buf_puts(out, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            tr_buf_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            tr_buf_printf(out, "\\u%04x", *p);
        else
            tr_buf_append(out, (const char *)p, 1);
    }
    tr_buf_puts(out, "\"");
}

/* The control's parameters as [{"id":..,"text":..}] for the index. */
static char *render_params_json(walk *w, uint32_t control)
{
    const tr_jdom *d = w->d;
    tr_buf out = {0};
    tr_buf_puts(&out, "[");
    uint32_t params = tr_jdom_get(d, control, "params");
    int first = 1;
    for (uint32_t p = tr_jdom_first(d, params); p != TR_JNONE; p = tr_jdom_next(d, params, p)) {
        tr_buf text = {0};
        render_param(&text, p, &w->params, 0);
        char *t = tr_buf_steal(&text);
        tr_buf_puts(&out, first ? "{\"id\":" : ",{\"id\":");
        first = 0;
        json_string_into(&out, tr_jdom_str(d, tr_jdom_get(d, p, "id")));
        tr_buf_puts(&out, ",\"text\":");
        json_string_into(&out, t ? t : "");
        tr_buf_puts(&out, "}");
        free(t);
    }
    tr_buf_puts(&out, "]");
    return tr_buf_steal(&out);
}

/* ---- the walk ----------------------------------------------------------------------------- */

static int walk_controls(walk *w, uint32_t holder, const char *group_path, const char *group_title,
                         const char *parent_id, int depth);

static int emit_control(walk *w, uint32_t c, const char *group_path, const char *group_title,
                        const char *parent_id, int depth)
{
    const char *id, *title, *class_;
    int rc;
    if ((rc = tr_jdom_get_string(w->d, c, "id", 1, w->source, &w->ptr, &id)) ||
        (rc = tr_jdom_get_string(w->d, c, "title", 1, w->source, &w->ptr, &title)) ||
        (rc = tr_jdom_get_string(w->d, c, "class", 0, w->source, &w->ptr, &class_)) ||
        (rc = check_common(w, c)))
        return rc;
    if (!*id) {
        size_t m = tr_jptr_push_key(&w->ptr, "id");
        rc = tr_error_ptr(TRUSTREG_EINPUT, w->source, tr_jptr_str(&w->ptr), "control id is empty");
        tr_jptr_pop(&w->ptr, m);
        return rc;
    }
    if (!w->sink) { /* checking and counting only */
        w->ord++;
        w->controls++;
        return walk_controls(w, c, group_path, group_title, id, depth + 1);
    }
    const char *label = prop_value(w->d, c, "label", 1);
    const char *status = prop_value(w->d, c, "status", 0);
    tr_control_row row = {
        .control_id = id,
        .parent_id = parent_id,
        .group_path = group_path,
        .group_title = group_title,
        .label = label ? label : id,
        .title = title,
        .class_ = class_ ? class_ : "",
        .withdrawn = status && strcasecmp(status, "withdrawn") == 0,
        .depth = depth,
        .ord = w->ord++,
    };
    char *statement = render_named_part(w, c, "statement");
    char *guidance = render_named_part(w, c, "guidance");
    char *params = render_params_json(w, c);
    if (!statement || !guidance || !params) {
        rc = tr_error_oom();
    } else {
        row.statement = statement;
        row.guidance = guidance;
        row.params_json = params;
        w->controls++;
        if (w->sink && w->sink->control)
            rc = w->sink->control(w->sink->ctx, &row);
        if (rc && trustreg_error_last()->pointer[0] == '\0')
            tr_error_prefix("%s: at %s", w->source, tr_jptr_str(&w->ptr));
    }
    free(statement);
    free(guidance);
    free(params);
    if (rc)
        return rc;
    return walk_controls(w, c, group_path, group_title, id, depth + 1);
}

static int walk_controls(walk *w, uint32_t holder, const char *group_path, const char *group_title,
                         const char *parent_id, int depth)
{
    uint32_t controls;
    int rc = get_object_array(w, holder, "controls", &controls);
    if (rc || controls == TR_JNONE)
        return rc;
    size_t m1 = tr_jptr_push_key(&w->ptr, "controls");
    size_t i = 0;
    for (uint32_t c = tr_jdom_first(w->d, controls); c != TR_JNONE;
         c = tr_jdom_next(w->d, controls, c), i++) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        if ((rc = emit_control(w, c, group_path, group_title, parent_id, depth)))
            return rc;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return TRUSTREG_OK;
}

static int walk_groups(walk *w, uint32_t holder, const char *parent_path)
{
    uint32_t groups;
    int rc = get_object_array(w, holder, "groups", &groups);
    if (rc || groups == TR_JNONE)
        return rc;
    size_t m1 = tr_jptr_push_key(&w->ptr, "groups");
    size_t i = 0;
    for (uint32_t g = tr_jdom_first(w->d, groups); g != TR_JNONE;
         g = tr_jdom_next(w->d, groups, g), i++) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        const char *id, *title;
        if ((rc = tr_jdom_get_string(w->d, g, "id", 0, w->source, &w->ptr, &id)) ||
            (rc = tr_jdom_get_string(w->d, g, "title", 1, w->source, &w->ptr, &title)) ||
            (rc = check_common(w, g)))
            return rc;
        char own[32];
        if (!id) {
            snprintf(own, sizeof own, "[%zu]", i);
            id = own;
        }
        tr_buf path = {0};
        if (*parent_path) {
            tr_buf_puts(&path, parent_path);
            tr_buf_puts(&path, "/");
        }
        tr_buf_puts(&path, id);
        char *p = tr_buf_steal(&path);
        if (!p)
            return tr_error_oom();
        tr_group_row row = {
            .group_id = id, .parent_path = parent_path, .path = p, .title = title, .ord = w->groups};
        w->groups++;
        if (w->sink && w->sink->group) {
            rc = w->sink->group(w->sink->ctx, &row);
            if (rc && trustreg_error_last()->pointer[0] == '\0')
                tr_error_prefix("%s: at %s", w->source, tr_jptr_str(&w->ptr));
        }
        if (!rc)
            rc = walk_groups(w, g, p);
        if (!rc)
            rc = walk_controls(w, g, p, title, "", 0);
        free(p);
        if (rc)
            return rc;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return TRUSTREG_OK;
}

int tr_catalog_walk(const trustreg_oscal_doc *doc, const tr_catalog_sink *sink, long *controls,
                    long *groups)
{
    if (doc->model != TRUSTREG_MODEL_CATALOG || !doc->dom)
        return tr_error(TRUSTREG_EUSAGE, "%s: not a catalog", doc->source);
    walk w = {.source = doc->source, .d = doc->dom, .sink = sink};
    uint32_t body = tr_oscal_doc_body(doc);
    tr_jptr_init(&w.ptr);
    tr_jptr_push_key(&w.ptr, "catalog");
    int rc = each(&w, body, "params", check_param);
    if (!rc && sink) /* the index is only for rendering */
        rc = tr_param_index_build(&w.params, w.d, body);
    if (!rc)
        rc = walk_groups(&w, body, "");
    if (!rc)
        rc = walk_controls(&w, body, "", "", "", 0);
    tr_param_index_free(&w.params);
    if (controls)
        *controls = w.controls;
    if (groups)
        *groups = w.groups;
    return rc;
}
