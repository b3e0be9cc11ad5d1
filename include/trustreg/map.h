/*
 * trustreg/map.h - typed mappings between controls of two frameworks, and queries over them.
 *
 * A mapping says how the requirements of a source control relate to those of a target control,
 * with the set-theory relationships of NIST IR 8477 as used by the OSCAL 1.2 mapping model:
 * equivalent-to (OSCAL equal-to is read as equivalent-to), subset-of, superset-of,
 * intersects-with, no-relationship. Each control is read as the non-empty set of its
 * requirements; the five relationships are then mutually exclusive and cover every case.
 *
 * Mappings are imported from OSCAL 1.2 mapping-collection JSON, from CSV, or from rows a caller
 * builds (the mapping columns of a CCM workbook), each import becoming one mapping set. The ends
 * of a mapping are frameworks: a name, bound to a stored catalog's uuid when it can be resolved.
 *
 * Queries compose relationships along chains of mappings. Composition is sound: a composed
 * relationship is a set of possible relationships (trustreg_map_relset) that always contains
 * the true one, derived from set theory (docs/mappings.md has the table and the proof method).
 */
#ifndef TRUSTREG_MAP_H
#define TRUSTREG_MAP_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A relationship from a source control S to a target control T (as non-empty sets). */
typedef enum trustreg_map_rel {
    TRUSTREG_MAP_EQUIVALENT = 0, /* S = T */
    TRUSTREG_MAP_SUBSET = 1,     /* S is a proper subset of T */
    TRUSTREG_MAP_SUPERSET = 2,   /* S is a proper superset of T */
    TRUSTREG_MAP_INTERSECTS = 3, /* S and T overlap, neither contains the other */
    TRUSTREG_MAP_NONE = 4,       /* no-relationship: S and T are disjoint */
    TRUSTREG_MAP_RELATED = 5,    /* listed as related, relationship not stated: no conclusion */
} trustreg_map_rel;

/* A set of possible relationships: bit (1 << rel) for each of the five base relationships. */
typedef unsigned trustreg_map_relset;
#define TRUSTREG_MAP_BIT(rel) (1u << (rel))
#define TRUSTREG_MAP_ANY 0x1fu /* nothing is known */
/* S contains T (S = T or S a proper superset): meeting S meets T fully */
#define TRUSTREG_MAP_CONTAINS (TRUSTREG_MAP_BIT(TRUSTREG_MAP_EQUIVALENT) | TRUSTREG_MAP_BIT(TRUSTREG_MAP_SUPERSET))
/* S and T share at least one requirement */
#define TRUSTREG_MAP_OVERLAPS (TRUSTREG_MAP_ANY & ~TRUSTREG_MAP_BIT(TRUSTREG_MAP_NONE))

/* "equivalent-to", "subset-of", ...; "related" for TRUSTREG_MAP_RELATED. */
const char *trustreg_map_rel_name(trustreg_map_rel rel);

/*
 * Parse a relationship token: the five OSCAL names, "equal-to" (read as equivalent-to) and
 * "related". TRUSTREG_EINPUT for anything else.
 */
int trustreg_map_rel_parse(const char *token, trustreg_map_rel *out);

/* The set a stated relationship stands for (TRUSTREG_MAP_RELATED: TRUSTREG_MAP_ANY). */
trustreg_map_relset trustreg_map_rel_set(trustreg_map_rel rel);

/* If A a B and B b C, then A (a o b) C: the composition table of docs/mappings.md. */
trustreg_map_relset trustreg_map_compose(trustreg_map_relset a, trustreg_map_relset b);

/* If A r B then B converse(r) A (subset-of and superset-of swap). */
trustreg_map_relset trustreg_map_converse(trustreg_map_relset r);

/* The name when the set holds one relationship, else "unknown" ("contradiction" when empty). */
const char *trustreg_map_relset_name(trustreg_map_relset r);

/*
 * Human description into buf: "superset-of", "one of: subset-of, intersects-with",
 * "no conclusion" (all five possible), "contradiction" (none). Returns buf.
 */
char *trustreg_map_relset_describe(trustreg_map_relset r, char *buf, size_t size);

/* A problem in the input that did not stop the import (unknown control, schema deviation). */
typedef struct trustreg_map_warning {
    char *message; /* full message: "source: /pointer: what" or "source:line:column: what" */
    char *pointer; /* JSON pointer or "" */
    int line;      /* CSV line, 0 when none */
    int column;
} trustreg_map_warning;

typedef enum trustreg_map_format {
    TRUSTREG_MAP_FORMAT_AUTO = 0, /* by extension (.csv) and content */
    TRUSTREG_MAP_FORMAT_OSCAL,    /* OSCAL 1.2 mapping-collection JSON */
    TRUSTREG_MAP_FORMAT_CSV,      /* source_catalog,source_control,relationship,target_catalog,
                                     target_control,strength[,rationale] */
    TRUSTREG_MAP_FORMAT_ROWS,     /* built by a caller (trustreg_map_import_rows) */
} trustreg_map_format;

/* "oscal", "csv", "rows" */
const char *trustreg_map_format_name(trustreg_map_format f);

typedef struct trustreg_map_import_opts {
    trustreg_map_format format;
    /* Framework of the sources / targets: a stored catalog's uuid or a name. NULL: from the
     * file (OSCAL resource hrefs; the CSV catalog columns). Overrides every mapping's end. */
    const char *source_catalog;
    const char *target_catalog;
    const char *title; /* title of a CSV or rows set; NULL: the file name */
} trustreg_map_import_opts;

/* What one import became. */
typedef struct trustreg_map_import_result {
    char *file;
    trustreg_map_format format;
    int64_t set_id;
    char *set_uuid;
    char *title;
    long mappings; /* source/target framework pairs */
    long maps;     /* stated relationships */
    long edges;    /* control pairs derived for queries */
    int unchanged; /* the same bytes were already imported */
    trustreg_map_warning *warnings;
    size_t n_warnings;
} trustreg_map_import_result;

/*
 * Import one mapping file (OSCAL JSON or CSV; "-" reads standard input) in one transaction.
 * Errors carry the file and a JSON pointer or line:column; deviations that do not stop the
 * import (non-standard values, unknown controls, catalogs not stored) become warnings.
 */
int trustreg_map_import_file(trustreg_db *db, const char *path,
                             const trustreg_map_import_opts *opts,
                             trustreg_map_import_result **out);

/* The same from memory; source names the input in messages. */
int trustreg_map_import_buffer(trustreg_db *db, const void *bytes, size_t len, const char *source,
                               const trustreg_map_import_opts *opts,
                               trustreg_map_import_result **out);

void trustreg_map_import_result_free(trustreg_map_import_result *r);
json_t *trustreg_map_import_result_to_json(const trustreg_map_import_result *r);

/*
 * One row of mapping columns, e.g. a CCM control and the cell of its "NIST 800-53 rev 5"
 * column. target_controls is the cell text: one or more ids separated by commas, semicolons,
 * line breaks or spaces ("AC-2, AC-3(1)"); surrounding white space and no-break spaces are
 * trimmed. All the target ids of a row form one map (the relationship holds between the source
 * control and the union of the targets).
 */
typedef struct trustreg_map_row {
    const char *source_catalog;  /* framework name or stored catalog uuid */
    const char *source_control;
    const char *target_catalog;
    const char *target_controls;
    trustreg_map_rel relationship; /* TRUSTREG_MAP_RELATED when the workbook states none */
    int strength;                  /* 0-10, or -1 when none */
    const char *rationale;         /* NULL or "syntactic" / "semantic" / "functional" / text */
    const char *where;             /* position for messages ("CCM!E12"), may be NULL */
} trustreg_map_row;

/*
 * Import rows as one mapping set in one transaction. source names the input ("ccm-v4.xlsx").
 * Rows with an empty target cell are skipped.
 */
int trustreg_map_import_rows(trustreg_db *db, const trustreg_map_row *rows, size_t n,
                             const char *title, const char *source,
                             trustreg_map_import_result **out);

/* A stored mapping set, as listed. */
typedef struct trustreg_map_set_info {
    int64_t id;
    char *uuid;
    char *title;
    trustreg_map_format format;
    char *source;
    char *sha256;
    char *imported_at;
    char *frameworks; /* "A -> B" pairs joined by "; " */
    long maps;
    long edges;
} trustreg_map_set_info;

int trustreg_map_list(trustreg_db *db, trustreg_map_set_info **sets, size_t *n);
void trustreg_map_set_infos_free(trustreg_map_set_info *sets, size_t n);
json_t *trustreg_map_set_info_to_json(const trustreg_map_set_info *s);

/*
 * Export a mapping set (by uuid, latest import, or row id) as OSCAL mapping-collection JSON
 * (pretty, key order of the import) or CSV. OSCAL files come back with the same content;
 * CSV and rows sets become a valid collection. *out is malloc'ed.
 */
int trustreg_map_export(trustreg_db *db, const char *set, trustreg_map_format format, char **out,
                        size_t *len);
/* Export to a file, written atomically. */
int trustreg_map_export_file(trustreg_db *db, const char *set, trustreg_map_format format,
                             const char *path);

/* One step of a path: from --stated--> to, as a mapping says it (maybe read backwards). */
typedef struct trustreg_map_step {
    char *from_catalog;
    char *from_control;
    char *to_catalog;
    char *to_control;
    char *stated;         /* relationship token of the map, from its source to its target */
    int converse;         /* 1: the map goes to -> from; the step uses its converse */
    int group;            /* 1: the map has several sources or targets (union semantics) */
    trustreg_map_relset step;  /* what the step says about from -> to */
    trustreg_map_relset total; /* start -> to, composed so far */
    char *set_uuid;
    char *map_uuid;
} trustreg_map_step;

/* A control reached from a start control. */
typedef struct trustreg_map_hit {
    char *catalog;             /* framework name */
    char *catalog_uuid;        /* stored catalog it is bound to, "" when none */
    char *control;
    trustreg_map_relset rel;   /* start -> control along path (the most precise path found) */
    trustreg_map_relset combined; /* intersection over every path found (sound; may be finer) */
    trustreg_map_step *path;
    size_t n_path;
} trustreg_map_hit;

typedef struct trustreg_map_query_opts {
    int transitive; /* 0: only the mappings of the control itself */
    int max_depth;  /* longest chain followed; 0: no limit */
} trustreg_map_query_opts;

/*
 * What a control maps to, in both directions (a mapping B superset-of A is read as A subset-of
 * B). Transitively, every chain whose composed relationship still says something is followed;
 * hits are sorted by catalog and control. catalog is a framework name or a catalog uuid.
 */
int trustreg_map_show(trustreg_db *db, const char *catalog, const char *control,
                      const trustreg_map_query_opts *opts, trustreg_map_hit **hits, size_t *n);
void trustreg_map_hits_free(trustreg_map_hit *hits, size_t n);
json_t *trustreg_map_hit_to_json(const trustreg_map_hit *h);

typedef enum trustreg_map_level {
    TRUSTREG_MAP_NOT_COVERED = 0,
    TRUSTREG_MAP_PARTIAL = 1, /* some met control shares requirements with it */
    TRUSTREG_MAP_FULL = 2,    /* some met control contains it (equivalent-to or superset-of) */
} trustreg_map_level;

const char *trustreg_map_level_name(trustreg_map_level l); /* "full", "partial", "none" */

typedef struct trustreg_map_cov_item {
    char *control;
    char *title; /* from the stored catalog, "" when not stored */
    trustreg_map_level level;
    char *met;   /* the met control the path starts from, "" when not covered */
    trustreg_map_relset rel; /* met -> control */
    trustreg_map_step *path;
    size_t n_path;
} trustreg_map_cov_item;

typedef struct trustreg_map_coverage {
    char *from;
    char *to;
    char **unknown_met; /* met ids that are not controls of the stored from-catalog */
    size_t n_unknown_met;
    trustreg_map_cov_item *items; /* every control of to, in catalog order (else sorted) */
    size_t n_items;
    long full, partial, none;
} trustreg_map_coverage;

/*
 * Which controls of framework to are covered by the met controls of framework from.
 * The controls of to are those of its stored catalog (withdrawn ones left out) plus any other
 * mapped control; without a stored catalog, the controls mappings name.
 */
int trustreg_map_coverage_query(trustreg_db *db, const char *from, const char *to,
                                const char *const *met, size_t n_met,
                                const trustreg_map_query_opts *opts,
                                trustreg_map_coverage **out);
void trustreg_map_coverage_free(trustreg_map_coverage *c);
json_t *trustreg_map_coverage_to_json(const trustreg_map_coverage *c);

#ifdef __cplusplus
}
#endif
#endif
