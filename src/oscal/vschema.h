/*
 * oscal/vschema.h - the compiled form of a JSON Schema, shared by the build-time schema compiler
 * (oscal/vschema_compile.py, which writes C tables of these types into the build folder) and the
 * validation engine (oscal/vschema.c, which runs them over a flat tr_jdom document).
 *
 * A schema set is one schema document (e.g. OSCAL 1.1.2's oscal_complete_schema.json) compiled
 * into an array of nodes, one per subschema that can be reached from the root. Every "$ref" was
 * resolved by the compiler to a node index, so the engine never looks anything up by name;
 * properties are sorted by (length, bytes) for binary search; patterns were translated from
 * ECMA-262 to PCRE2 (see docs/validate.md). Keywords that only annotate (title, description,
 * format, contentEncoding, ...) are dropped; a keyword the engine does not implement makes the
 * compiler fail instead of being ignored.
 */
#ifndef TR_OSCAL_VSCHEMA_H
#define TR_OSCAL_VSCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "util/jdom.h"
#include "util/mem.h"

/* JSON types as a bit mask ("integer" is its own bit; a number with no fraction matches it). */
enum {
    TR_VS_T_NULL = 1u << 0,
    TR_VS_T_BOOLEAN = 1u << 1,
    TR_VS_T_OBJECT = 1u << 2,
    TR_VS_T_ARRAY = 1u << 3,
    TR_VS_T_NUMBER = 1u << 4,
    TR_VS_T_STRING = 1u << 5,
    TR_VS_T_INTEGER = 1u << 6,
};

/* Node flags. */
enum {
    TR_VS_F_FALSE = 1u << 0,        /* the schema `false`: nothing is valid */
    TR_VS_F_ADDL_FALSE = 1u << 1,   /* additionalProperties: false */
    TR_VS_F_MINIMUM = 1u << 2,      /* minimum present */
    TR_VS_F_MAXIMUM = 1u << 3,      /* maximum present */
    TR_VS_F_XMINIMUM = 1u << 4,     /* exclusiveMinimum present */
    TR_VS_F_XMAXIMUM = 1u << 5,     /* exclusiveMaximum present */
    TR_VS_F_UNIQUE_ITEMS = 1u << 6, /* uniqueItems: true (scalars compared; see vschema.c) */
};

#define TR_VS_NONE (-1)

/* A literal value of "enum" or "const" (scalars only; the compiler refuses others). */
typedef struct tr_vs_value {
    uint8_t type; /* TR_VS_T_NULL, _BOOLEAN, _NUMBER or _STRING */
    uint8_t boolean;
    uint32_t len; /* string length in bytes */
    const char *str;
    double num;
} tr_vs_value;

typedef struct tr_vs_prop {
    const char *name;
    uint32_t len;
    int32_t schema; /* node index */
} tr_vs_prop;

typedef struct tr_vs_node {
    uint8_t types;                /* allowed types; 0 = any */
    uint8_t flags;                /* TR_VS_F_* */
    int32_t pattern;              /* index into the set's patterns, or TR_VS_NONE */
    uint32_t props, nprops;       /* into props[], sorted by (len, name) */
    uint32_t required, nrequired; /* into names[] */
    int32_t additional;           /* additionalProperties schema, or TR_VS_NONE */
    int32_t items;                /* items schema (one schema for every element), or TR_VS_NONE */
    uint32_t all_of, nall_of;     /* into kids[] */
    uint32_t any_of, nany_of;
    uint32_t one_of, none_of;
    int32_t not_schema;     /* or TR_VS_NONE */
    uint32_t enums, nenums; /* into values[] */
    int32_t const_value;    /* into values[], or TR_VS_NONE */
    int32_t min_items, max_items, min_length, max_length, min_props, max_props; /* -1 = none */
    double minimum, maximum, xminimum, xmaximum;
    const char *loc; /* JSON pointer of this subschema in the schema file ("#/definitions/...") */
} tr_vs_node;

typedef struct tr_vs_pattern {
    const char *source; /* as written in the schema (ECMA-262) */
    const char *pcre2;  /* translated for PCRE2 with PCRE2_UTF | PCRE2_DOLLAR_ENDONLY */
} tr_vs_pattern;

typedef struct tr_vs_set {
    const char *name; /* "1.1.2" for the OSCAL sets */
    const char *file; /* schema file name, for error locations */
    int32_t root;
    const tr_vs_node *nodes;
    uint32_t nnodes;
    const tr_vs_prop *props;
    const char *const *names;
    const int32_t *kids;
    const tr_vs_value *values;
    const tr_vs_pattern *patterns;
    uint32_t npatterns;
} tr_vs_set;

/* The OSCAL schema sets compiled into the library (generated: build/generated/oscal_schemas.c),
 * oldest version first. tr_vs_oscal_missing explains an empty list (schemas not found at build). */
extern const tr_vs_set *const tr_vs_oscal_sets[];
extern const size_t tr_vs_oscal_count;
extern const char tr_vs_oscal_missing[];

/* One schema violation, as the engine records it (the public report is built from these). */
typedef struct tr_vs_error {
    uint32_t node;       /* the instance node that is wrong (the object, for "required") */
    const char *keyword; /* "type", "required", "pattern", ... */
    const char *loc;     /* subschema location (the keyword is appended when reported) */
    char *expected;      /* malloc'ed */
    char *found;         /* malloc'ed */
} tr_vs_error;

typedef struct tr_vs_errors {
    tr_vs_error *v;
    size_t n, cap;
    size_t max;    /* stop after this many */
    int truncated; /* more errors than max */
    int oom;
} tr_vs_errors;

/* Add an error (takes ownership of expected and found, which may be NULL after an OOM). */
void tr_vs_errors_add(tr_vs_errors *e, uint32_t node, const char *keyword, const char *loc,
                      char *expected, char *found);
void tr_vs_errors_free(tr_vs_errors *e);

/*
 * Validate node `at` of dom against set's root. Errors are appended to errs (up to errs->max).
 * Returns TRUSTREG_OK (errs->n says whether the instance is valid) or TRUSTREG_EINTERNAL (out of
 * memory, a pattern PCRE2 refused) with the error recorded.
 */
int tr_vs_validate(const tr_vs_set *set, const tr_jdom *dom, uint32_t at, tr_vs_errors *errs);

/* The RFC 6901 pointer of node `target` (malloc'ed; "" for the root). */
char *tr_vs_pointer(const tr_jdom *dom, uint32_t target);

/* Append s (len bytes, at most max shown) quoted and escaped, e.g. "ab\n..." . */
void tr_vs_put_quoted(tr_buf *b, const char *s, size_t len, size_t max);

/* Short description of a value for "found ...": `string "abc"`, `number 5`, `object`, ... */
char *tr_vs_describe(const tr_jdom *dom, uint32_t node);

#endif
