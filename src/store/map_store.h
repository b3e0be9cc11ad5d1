/*
 * store/map_store.h - storage of framework mappings (SQL in store/sqlite_map.c).
 *
 * Tables: map_frameworks (a mapping end: a name, bound to a catalog uuid when known), map_sets
 * (one import), map_mappings (a source/target framework pair of a set, OSCAL "mapping"),
 * map_maps (one stated relationship), map_items (its source and target controls) and map_edges
 * (the control pairs derived for queries, with the set of possible relationships). See
 * docs/mappings.md.
 */
#ifndef TR_STORE_MAP_STORE_H
#define TR_STORE_MAP_STORE_H

#include <stdint.h>

#include "trustreg/db.h"

/* The migration that creates the tables (listed in store/schema.c). */
extern const char tr_map_schema_sql[];

/* A connection with the statements used in bulk. */
typedef struct tr_map_store tr_map_store;

int tr_map_store_open(trustreg_db *db, tr_map_store **out);
void tr_map_store_close(tr_map_store *s);

/* Frameworks */
typedef struct tr_map_fw {
    int64_t id;
    char *name;
    char *catalog_uuid; /* "" when not bound */
    char *href;
} tr_map_fw;
void tr_map_fw_clear(tr_map_fw *f);
/* By name (case-insensitive), else by bound catalog uuid; id 0 when none. */
int tr_map_fw_find(tr_map_store *s, const char *key, tr_map_fw *out);
int tr_map_fw_by_id(tr_map_store *s, int64_t id, tr_map_fw *out);
int tr_map_fw_insert(tr_map_store *s, const char *name, const char *catalog_uuid,
                     const char *href, int64_t *id);
int tr_map_fw_bind(tr_map_store *s, int64_t id, const char *catalog_uuid);
/* Names of all frameworks, joined by ", " (malloc'ed). */
int tr_map_fw_names(tr_map_store *s, char **out);

/* Stored catalogs: 1 in *found when a catalog with this uuid is stored (latest import). */
int tr_map_catalog_title(tr_map_store *s, const char *uuid, int *found, char **title);
/* Every control of the stored catalog, in document order. */
typedef int (*tr_map_control_fn)(void *ctx, const char *id, const char *label, const char *title,
                                 int withdrawn);
int tr_map_catalog_controls(tr_map_store *s, const char *uuid, tr_map_control_fn fn, void *ctx);

/* Sets */
typedef struct tr_map_set_row {
    const char *uuid;
    const char *format;
    const char *title;
    const char *version;
    const char *oscal_version;
    const char *source;
    const char *sha256;
    const char *head;        /* JSON or NULL */
    const char *imported_at; /* when read back */
} tr_map_set_row;
int tr_map_set_find_sha(tr_map_store *s, const char *sha256, int64_t *id);
int tr_map_set_insert(tr_map_store *s, const tr_map_set_row *row, int64_t *id);
/* A set by row id or uuid (latest); id 0 when none. */
int tr_map_set_resolve(tr_map_store *s, const char *key, int64_t *id);
int tr_map_set_counts(tr_map_store *s, int64_t set_id, long *mappings, long *maps, long *edges);

int tr_map_mapping_insert(tr_map_store *s, int64_t set_id, long ord, int64_t src_fw,
                          int64_t dst_fw, const char *body, int64_t *id);
int tr_map_map_insert(tr_map_store *s, int64_t mapping_id, long ord, const char *uuid,
                      const char *relationship, const char *token, int strength,
                      const char *rationale, const char *body, int64_t *id);
int tr_map_item_insert(tr_map_store *s, int64_t map_id, int target, long ord, const char *control);
int tr_map_edge_insert(tr_map_store *s, int64_t map_id, int64_t src_fw, const char *src_ctl,
                       int64_t dst_fw, const char *dst_ctl, unsigned rel, int group);

/* Reading a set back (export): the set, then each mapping, each map, each item, in order. */
typedef struct tr_map_read_cb {
    void *ctx;
    int (*set)(void *ctx, const tr_map_set_row *row);
    int (*mapping)(void *ctx, int64_t id, const char *src_fw, const char *dst_fw,
                   const char *body);
    int (*map)(void *ctx, int64_t mapping_id, const char *uuid, const char *relationship,
               const char *token, int strength, const char *rationale, const char *body);
    int (*item)(void *ctx, int target, const char *control);
} tr_map_read_cb;
int tr_map_set_read(tr_map_store *s, int64_t set_id, const tr_map_read_cb *cb);

/* Listing */
typedef int (*tr_map_list_fn)(void *ctx, int64_t id, const tr_map_set_row *row,
                              const char *imported_at, const char *frameworks, long maps,
                              long edges);
int tr_map_set_list(tr_map_store *s, tr_map_list_fn fn, void *ctx);

/* Query edges touching (fw, key) in either direction; key is the lower-case control id. */
typedef struct tr_map_edge_row {
    int64_t other_fw;
    const char *other_ctl;
    const char *other_key;
    unsigned rel; /* from the queried control to the other one (converse applied) */
    int converse;
    int group;
    const char *token;
    const char *set_uuid;
    const char *map_uuid;
} tr_map_edge_row;
typedef int (*tr_map_edge_fn)(void *ctx, const tr_map_edge_row *e);
int tr_map_edges_of(tr_map_store *s, int64_t fw, const char *key, tr_map_edge_fn fn, void *ctx);

/* Distinct controls of a framework named by any edge (display form), sorted. */
typedef int (*tr_map_name_fn)(void *ctx, const char *control);
int tr_map_fw_controls(tr_map_store *s, int64_t fw, tr_map_name_fn fn, void *ctx);

#endif
