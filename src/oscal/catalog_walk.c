/*
 * oscal/catalog_walk.c - the catalog walker and prose renderer behind the control index.
 *
 * Two passes: the first collects every parameter of the catalog (catalog, group and control
 * level) by id so that prose can show a parameter defined by an ancestor; the second walks groups
 * and controls in document order, checks member types and emits rows.
 */
#include "oscal/catalog_walk.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define MAX_PARAM_NESTING 8 /* a parameter whose choices insert parameters, and so on */

typedef struct walk {
    const char *source;
    json_t *params; /* id -> param object (borrowed references held by this object) */
    const tr_catalog_sink *sink;
    tr_jptr ptr;
    long ord;
    long controls;
    long groups;
} walk;

/* ---- prose rendering ---------------------------------------------------------------------- */

static void render_param(tr_buf *out, const json_t *param, const json_t *params, int nesting);

static void render_prose_n(tr_buf *out, const char *prose, const json_t *params, int nesting)
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
                        const json_t *param = params ? json_object_get(params, id) : NULL;
                        if (param && nesting < MAX_PARAM_NESTING)
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

void tr_render_prose(tr_buf *out, const char *prose, const json_t *params)
{
    render_prose_n(out, prose, params, 0);
}

static void render_param(tr_buf *out, const json_t *param, const json_t *params, int nesting)
{
    const json_t *values = json_object_get(param, "values");
    if (json_is_array(values) && json_array_size(values) > 0) {
        size_t i;
        const json_t *v;
        json_array_foreach(values, i, v) {
            if (i)
                tr_buf_puts(out, ", ");
            if (json_is_string(v))
                render_prose_n(out, json_string_value(v), params, nesting);
        }
        return;
    }
    const json_t *select = json_object_get(param, "select");
    if (json_is_object(select)) {
        const char *how = json_string_value(json_object_get(select, "how-many"));
        tr_buf_puts(out, how && strcmp(how, "one-or-more") == 0 ? "[Selection (one or more): "
                                                                : "[Selection: ");
        const json_t *choices = json_object_get(select, "choice");
        size_t i;
        const json_t *c;
        json_array_foreach(choices, i, c) {
            if (i)
                tr_buf_puts(out, "; ");
            if (json_is_string(c))
                render_prose_n(out, json_string_value(c), params, nesting);
        }
        tr_buf_puts(out, "]");
        return;
    }
    const char *label = json_string_value(json_object_get(param, "label"));
    const char *id = json_string_value(json_object_get(param, "id"));
    tr_buf_puts(out, "[Assignment: ");
    render_prose_n(out, label ? label : (id ? id : "?"), params, nesting);
    tr_buf_puts(out, "]");
}

/* ---- type checks ---------------------------------------------------------------------------- */

/* Check obj[key] is an array of objects when present; *out is NULL when absent. */
static int get_object_array(walk *w, const json_t *obj, const char *key, json_t **out)
{
    int rc = tr_json_get_array(obj, key, 0, w->source, &w->ptr, out);
    if (rc || !*out)
        return rc;
    size_t i;
    json_t *v;
    json_array_foreach(*out, i, v) {
        if (!json_is_object(v)) {
            size_t m1 = tr_jptr_push_key(&w->ptr, key);
            tr_jptr_push_index(&w->ptr, i);
            rc = tr_error_ptr(TRUSTREG_EINPUT, w->source, tr_jptr_str(&w->ptr),
                              "expected an object, found %s", tr_json_type_name(v));
            tr_jptr_pop(&w->ptr, m1);
            return rc;
        }
    }
    return TRUSTREG_OK;
}

static int check_props(walk *w, const json_t *obj)
{
    json_t *props;
    int rc = get_object_array(w, obj, "props", &props);
    if (rc || !props)
        return rc;
    size_t i;
    json_t *p;
    size_t m1 = tr_jptr_push_key(&w->ptr, "props");
    json_array_foreach(props, i, p) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        const char *s;
        if ((rc = tr_json_get_string(p, "name", 1, w->source, &w->ptr, &s)) ||
            (rc = tr_json_get_string(p, "value", 1, w->source, &w->ptr, &s)) ||
            (rc = tr_json_get_string(p, "class", 0, w->source, &w->ptr, &s)))
            break;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return rc;
}

static int check_params(walk *w, const json_t *obj)
{
    json_t *params;
    int rc = get_object_array(w, obj, "params", &params);
    if (rc || !params)
        return rc;
    size_t i;
    json_t *p;
    size_t m1 = tr_jptr_push_key(&w->ptr, "params");
    json_array_foreach(params, i, p) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        const char *s;
        json_t *a;
        if ((rc = tr_json_get_string(p, "id", 1, w->source, &w->ptr, &s)) ||
            (rc = tr_json_get_string(p, "label", 0, w->source, &w->ptr, &s)) ||
            (rc = tr_json_get_array(p, "values", 0, w->source, &w->ptr, &a)) ||
            (rc = tr_json_get_object(p, "select", 0, w->source, &w->ptr, &a)))
            break;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return rc;
}

/* Recursively check parts: objects with a string name, optional string prose. */
static int check_parts(walk *w, const json_t *obj)
{
    json_t *parts;
    int rc = get_object_array(w, obj, "parts", &parts);
    if (rc || !parts)
        return rc;
    size_t i;
    json_t *p;
    size_t m1 = tr_jptr_push_key(&w->ptr, "parts");
    json_array_foreach(parts, i, p) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        const char *s;
        if ((rc = tr_json_get_string(p, "name", 1, w->source, &w->ptr, &s)) ||
            (rc = tr_json_get_string(p, "prose", 0, w->source, &w->ptr, &s)) ||
            (rc = check_props(w, p)) || (rc = check_parts(w, p)))
            break;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return rc;
}

/* ---- collecting params -------------------------------------------------------------------- */

static void collect_params(walk *w, const json_t *node)
{
    json_t *params = json_object_get(node, "params");
    size_t i;
    json_t *p;
    json_array_foreach(params, i, p) {
        const char *id = json_string_value(json_object_get(p, "id"));
        if (id && json_is_object(p) && !json_object_get(w->params, id))
            json_object_set(w->params, id, p);
    }
    json_array_foreach(json_object_get(node, "groups"), i, p) collect_params(w, p);
    json_array_foreach(json_object_get(node, "controls"), i, p) collect_params(w, p);
}

/* ---- rendering control text --------------------------------------------------------------- */

static const char *prop_value(const json_t *obj, const char *name, int prefer_no_class)
{
    const json_t *props = json_object_get(obj, "props");
    const char *any = NULL;
    size_t i;
    const json_t *p;
    json_array_foreach(props, i, p) {
        const char *n = json_string_value(json_object_get(p, "name"));
        if (!n || strcmp(n, name) != 0)
            continue;
        const char *v = json_string_value(json_object_get(p, "value"));
        if (!prefer_no_class || !json_object_get(p, "class"))
            return v;
        if (!any)
            any = v;
    }
    return any;
}

static void render_part_tree(walk *w, tr_buf *out, const json_t *part, int indent)
{
    const char *prose = json_string_value(json_object_get(part, "prose"));
    const char *label = prop_value(part, "label", 1);
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
            tr_render_prose(out, prose, w->params);
        }
        tr_buf_puts(out, "\n");
    }
    size_t i;
    const json_t *sub;
    json_array_foreach(json_object_get(part, "parts"), i, sub)
        render_part_tree(w, out, sub, (prose || label) ? indent + 1 : indent);
}

static char *render_named_part(walk *w, const json_t *control, const char *name)
{
    tr_buf out = {0};
    size_t i;
    const json_t *part;
    json_array_foreach(json_object_get(control, "parts"), i, part) {
        const char *n = json_string_value(json_object_get(part, "name"));
        if (n && strcmp(n, name) == 0)
            render_part_tree(w, &out, part, 0);
    }
    while (out.len && out.data[out.len - 1] == '\n')
        out.data[--out.len] = '\0';
    return tr_buf_steal(&out);
}

static char *render_params_json(walk *w, const json_t *control)
{
    json_t *arr = json_array();
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(control, "params"), i, p) {
        tr_buf text = {0};
        render_param(&text, p, w->params, 0);
        char *t = tr_buf_steal(&text);
        json_array_append_new(arr, json_pack("{s:s, s:s?}", "id",
                                             json_string_value(json_object_get(p, "id")), "text",
                                             t));
        free(t);
    }
    char *s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

/* ---- the walk ----------------------------------------------------------------------------- */

static int walk_controls(walk *w, const json_t *holder, const char *group_path,
                         const char *group_title, const char *parent_id, int depth);

static int emit_control(walk *w, const json_t *c, const char *group_path, const char *group_title,
                        const char *parent_id, int depth)
{
    const char *id, *title, *class_;
    int rc;
    if ((rc = tr_json_get_string(c, "id", 1, w->source, &w->ptr, &id)) ||
        (rc = tr_json_get_string(c, "title", 1, w->source, &w->ptr, &title)) ||
        (rc = tr_json_get_string(c, "class", 0, w->source, &w->ptr, &class_)) ||
        (rc = check_props(w, c)) || (rc = check_params(w, c)) || (rc = check_parts(w, c)))
        return rc;
    if (!*id) {
        size_t m = tr_jptr_push_key(&w->ptr, "id");
        rc = tr_error_ptr(TRUSTREG_EINPUT, w->source, tr_jptr_str(&w->ptr), "control id is empty");
        tr_jptr_pop(&w->ptr, m);
        return rc;
    }

    const char *label = prop_value(c, "label", 1);
    const char *status = prop_value(c, "status", 0);
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

static int walk_controls(walk *w, const json_t *holder, const char *group_path,
                         const char *group_title, const char *parent_id, int depth)
{
    json_t *controls;
    int rc = get_object_array(w, holder, "controls", &controls);
    if (rc || !controls)
        return rc;
    size_t m1 = tr_jptr_push_key(&w->ptr, "controls");
    size_t i;
    json_t *c;
    json_array_foreach(controls, i, c) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        rc = emit_control(w, c, group_path, group_title, parent_id, depth);
        if (rc)
            break;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return rc;
}

static int walk_groups(walk *w, const json_t *holder, const char *parent_path)
{
    json_t *groups;
    int rc = get_object_array(w, holder, "groups", &groups);
    if (rc || !groups)
        return rc;
    size_t m1 = tr_jptr_push_key(&w->ptr, "groups");
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        size_t m2 = tr_jptr_push_index(&w->ptr, i);
        const char *id, *title;
        if ((rc = tr_json_get_string(g, "id", 0, w->source, &w->ptr, &id)) ||
            (rc = tr_json_get_string(g, "title", 1, w->source, &w->ptr, &title)) ||
            (rc = check_props(w, g)) || (rc = check_params(w, g)) || (rc = check_parts(w, g)))
            break;
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
        if (!p) {
            rc = tr_error_oom();
            break;
        }
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
            break;
        tr_jptr_pop(&w->ptr, m2);
    }
    tr_jptr_pop(&w->ptr, m1);
    return rc;
}

int tr_catalog_walk(const trustreg_oscal_doc *doc, const tr_catalog_sink *sink, long *controls,
                    long *groups)
{
    if (doc->model != TRUSTREG_MODEL_CATALOG)
        return tr_error(TRUSTREG_EUSAGE, "%s: not a catalog", doc->source);
    walk w = {.source = doc->source, .sink = sink};
    tr_jptr_init(&w.ptr);
    tr_jptr_push_key(&w.ptr, "catalog");
    w.params = json_object();
    if (!w.params)
        return tr_error_oom();
    int rc = check_params(&w, doc->body);
    if (!rc) {
        collect_params(&w, doc->body);
        rc = walk_groups(&w, doc->body, "");
    }
    if (!rc)
        rc = walk_controls(&w, doc->body, "", "", "", 0);
    json_decref(w.params);
    if (controls)
        *controls = w.controls;
    if (groups)
        *groups = w.groups;
    return rc;
}
