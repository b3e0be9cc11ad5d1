/*
 * util/jdom.h - a strict, read-only JSON reader for the hot import path.
 *
 * jansson builds a mutable tree with one allocation per value; for a 3 MB catalog that is ~25 MB
 * of fresh memory, and on our machines touching fresh memory dominates the import. tr_jdom parses
 * into two flat arenas instead: an array of nodes in document order and one buffer of decoded,
 * NUL-terminated strings. It is strict RFC 8259 (valid UTF-8, no control characters in strings,
 * no "\u0000", exact number grammar), refuses duplicate object keys and nesting deeper than a
 * limit, is not recursive, and reports errors at line:column. It accepts and rejects the same
 * documents as jansson with JSON_REJECT_DUPLICATES (tested differentially and fuzzed).
 *
 * Layout: a value at index i occupies nodes i .. end-1. Arrays hold their elements in sequence;
 * objects hold key (a string node) then value for each member. So the first element of a
 * container is i + 1 and the next sibling of value v is nodes[v].end.
 */
#ifndef TR_UTIL_JDOM_H
#define TR_UTIL_JDOM_H

#include <stddef.h>
#include <stdint.h>

#include "util/json.h"

typedef enum tr_jtype {
    TR_J_NULL,
    TR_J_FALSE,
    TR_J_TRUE,
    TR_J_NUMBER,
    TR_J_STRING,
    TR_J_ARRAY,
    TR_J_OBJECT,
} tr_jtype;

typedef struct tr_jnode {
    uint32_t type; /* tr_jtype */
    uint32_t len;  /* string: bytes; number: bytes of its text; array/object: elements/members */
    uint32_t end;  /* index just past this value's subtree */
    uint32_t pad;
    const char *str; /* string: decoded and NUL-terminated; number: raw text (not terminated) */
} tr_jnode;

#define TR_JNONE UINT32_MAX

typedef struct tr_jdom {
    tr_jnode *nodes;
    uint32_t n;
    size_t nodes_bytes;
    char *strings;
    size_t strings_bytes;
} tr_jdom;

/*
 * Parse len bytes. On error returns TRUSTREG_EINPUT with the message at source:line:column
 * and leaves dom empty. Free with tr_jdom_free in both cases.
 */
int tr_jdom_parse(tr_jdom *dom, const unsigned char *text, size_t len, int max_depth,
                  const char *source);
void tr_jdom_free(tr_jdom *dom);

/* The value of member key of object obj, or TR_JNONE. */
uint32_t tr_jdom_get(const tr_jdom *dom, uint32_t obj, const char *key);

/* String value of node i, or NULL when it is not a string (or i is TR_JNONE). */
const char *tr_jdom_str(const tr_jdom *dom, uint32_t i);

/* Type name as in error messages ("object", "array", "string", "number", ...). */
const char *tr_jdom_type_name(const tr_jdom *dom, uint32_t i);

/* Iterate array elements / object members:
 *   for (uint32_t v = tr_jdom_first(d, arr); v != TR_JNONE; v = tr_jdom_next(d, arr, v))
 *   for (uint32_t k = tr_jdom_first(d, obj); k != TR_JNONE; k = tr_jdom_next_member(d, obj, k))
 * (for objects, k is the key node and k + 1 its value). */
uint32_t tr_jdom_first(const tr_jdom *dom, uint32_t container);
uint32_t tr_jdom_next(const tr_jdom *dom, uint32_t container, uint32_t v);
uint32_t tr_jdom_next_member(const tr_jdom *dom, uint32_t obj, uint32_t key);

/*
 * Typed member access with errors at JSON pointers, like tr_json_get_* (json.h): TRUSTREG_OK
 * with *out set (TR_JNONE / NULL when absent and not required), or TRUSTREG_EINPUT.
 */
int tr_jdom_get_string(const tr_jdom *dom, uint32_t obj, const char *key, int required,
                       const char *source, tr_jptr *ptr, const char **out);
int tr_jdom_get_typed(const tr_jdom *dom, uint32_t obj, const char *key, tr_jtype type,
                      int required, const char *source, tr_jptr *ptr, uint32_t *out);

#endif
