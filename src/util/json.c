/*
 * util/json.c - jansson helpers for untrusted input (see json.h).
 */
#include "util/json.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

const char *tr_json_type_name(const json_t *v)
{
    if (!v)
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "real";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "unknown";
}

void tr_jptr_init(tr_jptr *p)
{
    p->buf[0] = '\0';
    p->len = 0;
    p->overflow = 0;
}

static void append(tr_jptr *p, const char *s, size_t n)
{
    if (p->len + n + 1 > sizeof p->buf) {
        p->overflow = 1;
        return;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

size_t tr_jptr_push_key(tr_jptr *p, const char *key)
{
    size_t prev = p->len;
    append(p, "/", 1);
    for (const char *k = key; *k; k++) {
        if (*k == '~')
            append(p, "~0", 2);
        else if (*k == '/')
            append(p, "~1", 2);
        else
            append(p, k, 1);
    }
    return prev;
}

size_t tr_jptr_push_index(tr_jptr *p, size_t index)
{
    size_t prev = p->len;
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "/%zu", index);
    append(p, tmp, (size_t)n);
    return prev;
}

void tr_jptr_pop(tr_jptr *p, size_t previous_len)
{
    if (previous_len <= p->len) {
        p->len = previous_len;
        p->buf[p->len] = '\0';
    }
}

const char *tr_jptr_str(const tr_jptr *p)
{
    return p->len ? p->buf : "";
}

static int get_typed(const json_t *obj, const char *key, int required, const char *source,
                     tr_jptr *ptr, json_type want, const char *want_name, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v) {
        if (!required)
            return TRUSTREG_OK;
        size_t mark = tr_jptr_push_key(ptr, key);
        int rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(ptr),
                              "required member \"%s\" is missing", key);
        tr_jptr_pop(ptr, mark);
        return rc;
    }
    if (json_typeof(v) != want) {
        size_t mark = tr_jptr_push_key(ptr, key);
        int rc = tr_error_ptr(TRUSTREG_EINPUT, source, tr_jptr_str(ptr), "expected %s, found %s",
                              want_name, tr_json_type_name(v));
        tr_jptr_pop(ptr, mark);
        return rc;
    }
    *out = v;
    return TRUSTREG_OK;
}

int tr_json_get_string(const json_t *obj, const char *key, int required, const char *source,
                       tr_jptr *ptr, const char **out)
{
    json_t *v;
    int rc = get_typed(obj, key, required, source, ptr, JSON_STRING, "a string", &v);
    *out = v ? json_string_value(v) : NULL;
    return rc;
}

int tr_json_get_object(const json_t *obj, const char *key, int required, const char *source,
                       tr_jptr *ptr, json_t **out)
{
    return get_typed(obj, key, required, source, ptr, JSON_OBJECT, "an object", out);
}

int tr_json_get_array(const json_t *obj, const char *key, int required, const char *source,
                      tr_jptr *ptr, json_t **out)
{
    return get_typed(obj, key, required, source, ptr, JSON_ARRAY, "an array", out);
}
