/*
 * oscal/resolve_modify.c - the Modify Phase of profile resolution: set-parameters, then alters.
 *
 * set-parameter ("Setting Parameters"): class, depends-on, label, usage, values, select (and
 * remarks) replace the target param's; props, links, constraints, guidelines are appended (a
 * prop or link with the uuid of an existing one replaces it). Several set-parameters for one
 * param apply in profile order; a param-id that matches nothing is a warning.
 * alter ("Altering controls"): for each alter in order, its removes, then its adds.
 *   remove: every object inside the control (params, props, links, parts at any depth, and child
 *   controls themselves) matching all given criteria (by-id, by-name, by-class, by-ns,
 *   by-item-name; OSCAL 1.0 names id-ref, name-ref, class-ref, ns-ref, item-name too).
 *   add: without by-id, or with by-id naming the control itself (as FedRAMP profiles do), the
 *   content goes into the control: after the title (starting, before) or at the end (ending,
 *   after, default). With by-id naming an object inside the control: inside it (starting,
 *   ending) or beside it (before, after). Members are then put back in canonical order.
 * Alters of a control id not in the result are warnings (nothing to alter).
 */
#include "oscal/resolve.h"
#include "util/error.h"
#include "util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OSCAL_NS "http://csrc.nist.gov/ns/oscal"

/* ---- indexes: id -> array of objects (several when controls clash under combine keep) ---- */

static int index_add(json_t *index, const char *id, json_t *obj)
{
    json_t *list = json_object_get(index, id);
    if (!list) {
        list = json_array();
        if (!list || json_object_set_new(index, id, list))
            return tr_error_oom();
    }
    return json_array_append(list, obj) ? tr_error_oom() : TRUSTREG_OK;
}

static int index_params(json_t *index, const json_t *owner)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(owner, "params"), i, v) {
        const char *id = json_string_value(json_object_get(v, "id"));
        if (id && index_add(index, id, v))
            return TRUSTREG_EINTERNAL;
    }
    static const char *const kids[] = {"controls", "groups"};
    for (int k = 0; k < 2; k++)
        json_array_foreach(json_object_get(owner, kids[k]), i, v) {
            int rc = index_params(index, v);
            if (rc)
                return rc;
        }
    return TRUSTREG_OK;
}

static int index_controls(json_t *index, const json_t *owner)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(owner, "controls"), i, v) {
        const char *id = json_string_value(json_object_get(v, "id"));
        if (id && index_add(index, id, v))
            return TRUSTREG_EINTERNAL;
        int rc = index_controls(index, v);
        if (rc)
            return rc;
    }
    json_array_foreach(json_object_get(owner, "groups"), i, v) {
        int rc = index_controls(index, v);
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

/* ---- set-parameter ---- */

static int append_items(json_t *target, const char *key, const json_t *items, int by_uuid)
{
    json_t *dst = json_object_get(target, key);
    if (!json_is_array(dst)) {
        dst = json_array();
        if (!dst || json_object_set_new(target, key, dst))
            return tr_error_oom();
    }
    size_t i, j;
    json_t *v, *w;
    json_array_foreach(items, i, v) {
        const char *uuid = by_uuid ? json_string_value(json_object_get(v, "uuid")) : NULL;
        if (uuid)
            json_array_foreach(dst, j, w) {
                const char *u = json_string_value(json_object_get(w, "uuid"));
                if (u && strcmp(u, uuid) == 0) {
                    json_array_remove(dst, j);
                    break;
                }
            }
        if (json_array_append_new(dst, json_deep_copy(v)))
            return tr_error_oom();
    }
    return TRUSTREG_OK;
}

static int set_param(json_t *param, const json_t *sp)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)sp, key, v) {
        if (strcmp(key, "param-id") == 0)
            continue;
        int rc;
        if (strcmp(key, "props") == 0 || strcmp(key, "links") == 0)
            rc = json_is_array(v) ? append_items(param, key, v, 1) : TRUSTREG_OK;
        else if (strcmp(key, "constraints") == 0 || strcmp(key, "guidelines") == 0)
            rc = json_is_array(v) ? append_items(param, key, v, 0) : TRUSTREG_OK;
        else
            rc = json_object_set_new(param, key, json_deep_copy(v)) ? tr_error_oom() : TRUSTREG_OK;
        if (rc)
            return rc;
    }
    /* values and select are alternatives: setting one replaces the other */
    if (json_object_get(sp, "values"))
        json_object_del(param, "select");
    else if (json_object_get(sp, "select"))
        json_object_del(param, "values");
    return tr_json_reorder(param, tr_order_param);
}

static int set_parameters(tr_resolver *r, json_t *body, const json_t *sps, const char *source)
{
    json_t *index = json_object();
    if (!index)
        return tr_error_oom();
    int rc = index_params(index, body);
    size_t i;
    json_t *sp;
    json_array_foreach(sps, i, sp) {
        if (rc)
            break;
        char ptr[128];
        snprintf(ptr, sizeof ptr, "/profile/modify/set-parameters/%zu", i);
        const char *id = json_string_value(json_object_get(sp, "param-id"));
        if (!json_is_object(sp) || !id) {
            rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr,
                              "expected an object with a param-id (string)");
            break;
        }
        json_t *targets = json_object_get(index, id);
        if (!targets) {
            tr_resolve_warn(r, "%s: at %s: set-parameter for \"%s\": no such parameter in the "
                               "result", source, ptr, id);
            continue;
        }
        size_t k;
        json_t *t;
        json_array_foreach(targets, k, t) {
            if ((rc = set_param(t, sp)))
                break;
        }
    }
    json_decref(index);
    return rc;
}

/* ---- remove ---- */

typedef struct remove_spec {
    const char *id, *name, *class_, *ns, *item;
} remove_spec;

static const char *either(const json_t *o, const char *a, const char *b)
{
    const char *s = json_string_value(json_object_get(o, a));
    return s ? s : json_string_value(json_object_get(o, b));
}

/* The singular name of the objects in an array member ("parts" -> "part"). */
static const char *item_name(const char *key)
{
    if (strcmp(key, "params") == 0)
        return "param";
    if (strcmp(key, "props") == 0)
        return "prop";
    if (strcmp(key, "links") == 0)
        return "link";
    if (strcmp(key, "parts") == 0)
        return "part";
    if (strcmp(key, "controls") == 0)
        return "control";
    return key;
}

static int str_is(const json_t *o, const char *key, const char *want)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && strcmp(s, want) == 0;
}

static int remove_matches(const remove_spec *rs, const json_t *obj, const char *array_key)
{
    if (rs->id && !str_is(obj, "id", rs->id))
        return 0;
    if (rs->name && !str_is(obj, "name", rs->name))
        return 0;
    if (rs->class_ && !str_is(obj, "class", rs->class_))
        return 0;
    if (rs->item && strcmp(item_name(array_key), rs->item) != 0)
        return 0;
    if (rs->ns) {
        /* objects that carry a name but no ns are in the OSCAL namespace */
        const char *ns = json_string_value(json_object_get(obj, "ns"));
        if (!ns && json_object_get(obj, "name"))
            ns = OSCAL_NS;
        if (!ns || strcmp(ns, rs->ns) != 0)
            return 0;
    }
    return 1;
}

/* Remove matching objects under obj; child controls are matched but not entered. */
static long remove_in(const remove_spec *rs, json_t *obj)
{
    static const char *const keys[] = {"params", "props", "links", "parts", "controls"};
    long removed = 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        json_t *arr = json_object_get(obj, keys[k]);
        if (!json_is_array(arr))
            continue;
        for (size_t i = 0; i < json_array_size(arr);) {
            json_t *v = json_array_get(arr, i);
            if (json_is_object(v) && remove_matches(rs, v, keys[k])) {
                json_array_remove(arr, i);
                removed++;
                continue;
            }
            if (json_is_object(v) && k != 4)
                removed += remove_in(rs, v);
            i++;
        }
        if (json_array_size(arr) == 0)
            json_object_del(obj, keys[k]); /* an empty array is not valid OSCAL */
    }
    return removed;
}

/* ---- add ---- */

typedef struct found {
    json_t *parent;
    const char *key;
    size_t index;
    json_t *target;
} found;

static int find_id(json_t *obj, const char *id, found *f)
{
    static const char *const keys[] = {"params", "parts", "controls"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        json_t *arr = json_object_get(obj, keys[k]);
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v) {
            if (str_is(v, "id", id)) {
                *f = (found){obj, keys[k], i, v};
                return 1;
            }
            if (find_id(v, id, f))
                return 1;
        }
    }
    return 0;
}

static const char *const *order_for(const char *array_key)
{
    if (strcmp(array_key, "params") == 0)
        return tr_order_param;
    if (strcmp(array_key, "parts") == 0)
        return tr_order_part;
    return tr_order_control;
}

static const char *const add_kinds[] = {"params", "props", "links", "parts"};

/* Put the add's content inside obj, at the start or the end of each kind of member. */
static int add_inside(json_t *obj, const json_t *add, int at_start, const char *const *order)
{
    json_t *title = json_object_get(add, "title");
    if (title && json_object_set_new(obj, "title", json_deep_copy(title)))
        return tr_error_oom();
    for (size_t k = 0; k < sizeof add_kinds / sizeof add_kinds[0]; k++) {
        json_t *items = json_object_get(add, add_kinds[k]);
        if (!json_is_array(items) || json_array_size(items) == 0)
            continue;
        json_t *dst = json_object_get(obj, add_kinds[k]);
        if (!json_is_array(dst)) {
            dst = json_array();
            if (!dst || json_object_set_new(obj, add_kinds[k], dst))
                return tr_error_oom();
        }
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v) {
            json_t *copy = json_deep_copy(v);
            if (at_start ? json_array_insert_new(dst, i, copy) : json_array_append_new(dst, copy))
                return tr_error_oom();
        }
    }
    return tr_json_reorder(obj, order);
}

/* Put the add's content beside f->target (before or after it) in its parent. */
static int add_beside(tr_resolver *r, const found *f, const json_t *add, int before,
                      const char *const *parent_order, const char *where)
{
    if (json_object_get(add, "title"))
        tr_resolve_warn(r, "%s: a title cannot be added before or after an object; ignored",
                        where);
    for (size_t k = 0; k < sizeof add_kinds / sizeof add_kinds[0]; k++) {
        json_t *items = json_object_get(add, add_kinds[k]);
        if (!json_is_array(items) || json_array_size(items) == 0)
            continue;
        json_t *dst = json_object_get(f->parent, add_kinds[k]);
        if (!json_is_array(dst)) {
            dst = json_array();
            if (!dst || json_object_set_new(f->parent, add_kinds[k], dst))
                return tr_error_oom();
        }
        /* same kind as the target: right beside it; another kind: at the start or end of the
         * parent's members of that kind */
        size_t at = strcmp(add_kinds[k], f->key) == 0 ? (before ? f->index : f->index + 1)
                                                      : (before ? 0 : json_array_size(dst));
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v) {
            if (json_array_insert_new(dst, at + i, json_deep_copy(v)))
                return tr_error_oom();
        }
    }
    return tr_json_reorder(f->parent, parent_order);
}

static int apply_add(tr_resolver *r, json_t *control, const json_t *add, const char *where)
{
    const char *pos = json_string_value(json_object_get(add, "position"));
    if (pos && strcmp(pos, "before") && strcmp(pos, "after") && strcmp(pos, "starting") &&
        strcmp(pos, "ending")) {
        tr_resolve_warn(r, "%s: position \"%s\" is not one of before, after, starting, ending; "
                           "using ending", where, pos);
        pos = NULL;
    }
    if (!pos)
        pos = "ending";
    int start = strcmp(pos, "starting") == 0 || strcmp(pos, "before") == 0;
    const char *by_id = either(add, "by-id", "id-ref");
    const char *cid = json_string_value(json_object_get(control, "id"));
    if (!by_id || (cid && strcmp(by_id, cid) == 0))
        return add_inside(control, add, start, tr_order_control); /* implicit binding */
    found f;
    if (!find_id(control, by_id, &f)) {
        tr_resolve_warn(r, "%s: by-id \"%s\" names nothing inside control \"%s\"; the add is "
                           "inoperative", where, by_id, cid ? cid : "");
        return TRUSTREG_OK;
    }
    if (strcmp(pos, "starting") == 0 || strcmp(pos, "ending") == 0)
        return add_inside(f.target, add, start, order_for(f.key));
    /* the parent of the target is a control or a part (parts have a name, controls not) */
    const char *const *parent_order =
        json_object_get(f.parent, "name") ? tr_order_part : tr_order_control;
    return add_beside(r, &f, add, start, parent_order, where);
}

static int alter_control(tr_resolver *r, json_t *control, const json_t *alter, const char *where)
{
    char sub[1300];
    size_t i;
    json_t *v;
    json_t *removes = json_object_get(alter, "removes");
    json_array_foreach(removes, i, v) {
        remove_spec rs = {either(v, "by-id", "id-ref"), either(v, "by-name", "name-ref"),
                          either(v, "by-class", "class-ref"), either(v, "by-ns", "ns-ref"),
                          either(v, "by-item-name", "item-name")};
        snprintf(sub, sizeof sub, "%s/removes/%zu", where, i);
        if (!rs.id && !rs.name && !rs.class_ && !rs.ns && !rs.item) {
            tr_resolve_warn(r, "%s: remove without criteria; ignored", sub);
            continue;
        }
        if (remove_in(&rs, control) == 0)
            tr_resolve_warn(r, "%s: remove matched nothing", sub);
    }
    json_t *adds = json_object_get(alter, "adds");
    json_array_foreach(adds, i, v) {
        snprintf(sub, sizeof sub, "%s/adds/%zu", where, i);
        int rc = json_is_object(v) ? apply_add(r, control, v, sub) : TRUSTREG_OK;
        if (rc)
            return rc;
    }
    return TRUSTREG_OK;
}

static int alters(tr_resolver *r, json_t *body, const json_t *list, const char *source)
{
    json_t *index = json_object();
    if (!index)
        return tr_error_oom();
    int rc = index_controls(index, body);
    size_t i;
    json_t *alter;
    json_array_foreach(list, i, alter) {
        if (rc)
            break;
        char ptr[128], where[1200];
        snprintf(ptr, sizeof ptr, "/profile/modify/alters/%zu", i);
        snprintf(where, sizeof where, "%s: at %s", source, ptr);
        const char *id = json_string_value(json_object_get(alter, "control-id"));
        if (!json_is_object(alter) || !id) {
            rc = tr_error_ptr(TRUSTREG_EINPUT, source, ptr,
                              "expected an object with a control-id (string)");
            break;
        }
        json_t *targets = json_object_get(index, id);
        if (!targets) {
            tr_resolve_warn(r, "%s: alter of control \"%s\", which is not in the result", where,
                            id);
            continue;
        }
        size_t k;
        json_t *t;
        json_array_foreach(targets, k, t) {
            if ((rc = alter_control(r, t, alter, where)))
                break;
        }
    }
    json_decref(index);
    return rc;
}

int tr_resolve_modify(tr_resolver *r, json_t *body, const json_t *modify, const char *source)
{
    if (!modify)
        return TRUSTREG_OK;
    if (!json_is_object(modify))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/profile/modify",
                            "expected an object, found %s", tr_json_type_name(modify));
    json_t *sps = json_object_get(modify, "set-parameters");
    json_t *alt = json_object_get(modify, "alters");
    if (sps && !json_is_array(sps))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/profile/modify/set-parameters",
                            "expected an array, found %s", tr_json_type_name(sps));
    if (alt && !json_is_array(alt))
        return tr_error_ptr(TRUSTREG_EINPUT, source, "/profile/modify/alters",
                            "expected an array, found %s", tr_json_type_name(alt));
    int rc = sps ? set_parameters(r, body, sps, source) : TRUSTREG_OK;
    if (!rc && alt)
        rc = alters(r, body, alt, source);
    return rc;
}
