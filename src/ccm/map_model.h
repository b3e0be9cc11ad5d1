/*
 * ccm/map_model.h - internal model of a mapping set between parsing and storing.
 *
 * The readers (map_oscal.c for OSCAL JSON, map_csv.c for CSV, map_import.c for caller rows) turn
 * input into a tr_map_model without touching the database; map_import.c then resolves frameworks
 * and controls against the store and writes the set in one transaction. Keeping the readers pure
 * lets the fuzz harnesses drive them directly. Also: warnings, a small string hash, helpers.
 */
#ifndef TR_CCM_MAP_MODEL_H
#define TR_CCM_MAP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "trustreg/map.h"

/* Namespace of trustreg's own OSCAL extensions (the "related" relationship, strength prop). */
#define TR_MAP_NS "urn:trustreg:oscal"
#define TR_OSCAL_NS "http://csrc.nist.gov/ns/oscal"

/* Warnings collected during an import. */
typedef struct tr_map_warns {
    const char *source;
    trustreg_map_warning *v;
    size_t n, cap;
    int oom;
} tr_map_warns;

void tr_map_warn_ptr(tr_map_warns *w, const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tr_map_warn_at(tr_map_warns *w, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tr_map_warns_free(tr_map_warns *w);

/* One mapped control of a map. */
typedef struct tr_map_item {
    char *id;
    int statement; /* OSCAL type "statement": not checked against the catalog */
} tr_map_item;

/* One stated relationship between the union of its sources and the union of its targets. */
typedef struct tr_map_entry {
    char *uuid;
    trustreg_map_rel rel;
    char *token; /* as written ("equal-to") */
    int strength; /* -1: none */
    char *rationale;
    char *body; /* the OSCAL map object (compact JSON), NULL when not from OSCAL */
    tr_map_item *sources, *targets;
    size_t n_sources, n_targets;
    char *where; /* JSON pointer of the map, or "" */
    int line;    /* CSV line, or 0 */
} tr_map_entry;

/* An end of a mapping as the input names it. */
typedef struct tr_map_end {
    char *name;         /* framework name (CSV column, or derived from the href) */
    char *href;         /* OSCAL resource href, "" otherwise */
    char *catalog_uuid; /* uuid found in or behind the href, NULL when unknown */
    char *where;        /* pointer of the resource, or "" */
} tr_map_end;

/* A source/target framework pair and its maps (OSCAL "mapping"). */
typedef struct tr_map_mapping {
    tr_map_end src, dst;
    char *body; /* the OSCAL mapping object with "maps" set to null, NULL when not from OSCAL */
    tr_map_entry *maps;
    size_t n_maps, cap;
} tr_map_mapping;

typedef struct tr_map_model {
    trustreg_map_format format;
    char *uuid;
    char *title;
    char *version;
    char *oscal_version;
    char *head; /* the collection with "mappings" set to null (JSON), NULL when not from OSCAL */
    char sha256[65];
    tr_map_mapping *mappings;
    size_t n, cap;
    tr_map_warns warns;
} tr_map_model;

void tr_map_model_free(tr_map_model *m);
/* Append an empty mapping / map; NULL on out of memory (recorded). */
tr_map_mapping *tr_map_model_add_mapping(tr_map_model *m);
tr_map_entry *tr_map_mapping_add_map(tr_map_mapping *g);
int tr_map_entry_add_item(tr_map_entry *e, int target, const char *id, size_t len, int statement);

/*
 * Split a cell of control ids ("AC-2, AC-3(1)") on commas, semicolons and white space (also
 * no-break spaces) and add each as a source or target. Returns the number added, or -1 (OOM).
 */
long tr_map_entry_add_ids(tr_map_entry *e, int target, const char *cell);

/*
 * What a map over n_sources sources and n_targets targets says about one source/target pair:
 * each source is contained in the union of the sources, each target in the union of the
 * targets, so S_i ({=,<} o rel o {=,>}) T_j (with = alone on a side with one control).
 */
trustreg_map_relset tr_map_pair_rel(trustreg_map_rel rel, size_t n_sources, size_t n_targets);

/* Readers (no database access). base_dir: folder of the input file for href resolution, or NULL. */
int tr_map_read_oscal(const void *bytes, size_t len, const char *source, const char *base_dir,
                      tr_map_model *out);
int tr_map_read_csv(const void *bytes, size_t len, const char *source, tr_map_model *out);

/* Writers from a stored set (map_oscal.c, map_csv.c); see trustreg_map_export. */
struct tr_map_store;
int tr_map_write_oscal(struct tr_map_store *s, int64_t set_id, char **out, size_t *len);
int tr_map_write_csv(struct tr_map_store *s, int64_t set_id, char **out, size_t *len);

/* A string-keyed hash map (keys copied; values are opaque pointers or indexes). */
typedef struct tr_map_hash {
    char **keys;
    void **vals;
    size_t cap, n;
} tr_map_hash;
/* Pointer to the value slot of key, inserting (value NULL) when create; NULL if absent/OOM. */
void **tr_map_hash_slot(tr_map_hash *h, const char *key, int create);
void tr_map_hash_free(tr_map_hash *h, void (*free_val)(void *));

/* Lower-case ASCII copy (malloc'ed). */
char *tr_map_lower(const char *s);
/* 1 when s (len bytes) is valid UTF-8 without NUL bytes. */
int tr_map_utf8_ok(const char *s, size_t len);
/* A random (v4) uuid, or one derived from seed (same layout) when seed is not NULL. */
void tr_map_uuid(const char *seed, char out[37]);
/* 1 when s is a uuid in canonical form. */
int tr_map_is_uuid(const char *s, size_t len);

#endif
