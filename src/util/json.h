/*
 * util/json.h - helpers around jansson for reading untrusted JSON: JSON pointer paths for error
 * messages, typed field access that reports "expected X, found Y" at a pointer. (Nesting depth
 * and syntax of untrusted documents are checked by the flat reader, util/jdom.h.)
 */
#ifndef TR_UTIL_JSON_H
#define TR_UTIL_JSON_H

#include <stddef.h>
#include <jansson.h>

/* "object", "array", "string", "integer", "real", "true", "false", "null" */
const char *tr_json_type_name(const json_t *v);

/* A JSON pointer being built while walking a document (RFC 6901 escaping). */
typedef struct tr_jptr {
    char buf[1024];
    size_t len;
    int overflow; /* deeper than the buffer: the pointer is shown shortened */
} tr_jptr;

void tr_jptr_init(tr_jptr *p);
/* Append a member name or an index; returns the previous length for tr_jptr_pop. */
size_t tr_jptr_push_key(tr_jptr *p, const char *key);
size_t tr_jptr_push_index(tr_jptr *p, size_t index);
void tr_jptr_pop(tr_jptr *p, size_t previous_len);
const char *tr_jptr_str(const tr_jptr *p);

/*
 * Typed member access. Each returns TRUSTREG_OK and sets *out (NULL when the member is absent and
 * not required), or records TRUSTREG_EINPUT at the member's pointer: "expected a string, found
 * integer" / "required member missing".
 */
int tr_json_get_string(const json_t *obj, const char *key, int required, const char *source,
                       tr_jptr *ptr, const char **out);
int tr_json_get_object(const json_t *obj, const char *key, int required, const char *source,
                       tr_jptr *ptr, json_t **out);
int tr_json_get_array(const json_t *obj, const char *key, int required, const char *source,
                      tr_jptr *ptr, json_t **out);

#endif
