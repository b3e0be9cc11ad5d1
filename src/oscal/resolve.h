/*
 * oscal/resolve.h - internal pieces of profile resolution, one file per phase of the
 * specification: resolve.c (acquiring imports, the driver), resolve_select.c (the Import Phase:
 * which controls an import includes), resolve_merge.c (the Merge Phase: combine and structure),
 * resolve_modify.c (the Modify Phase: set-parameters and alters), resolve_finish.c (Final
 * Operations: back-matter, metadata, pruning, canonical order).
 *
 * Everything works on jansson trees. A "selection" is what one import contributes: an object
 * {"params": [...], "controls": [...], "groups": [...]} holding deep copies of the included
 * objects in the structure of the imported catalog ("as-is"), plus "resources" (its back-matter)
 * and "metadata" (its metadata, for keep=always roles and parties), both borrowed.
 */
#ifndef TR_OSCAL_RESOLVE_H
#define TR_OSCAL_RESOLVE_H

#include <jansson.h>

#include "trustreg/resolve.h"
#include "util/jdom.h"

typedef struct tr_resolver {
    const trustreg_resolve_opts *opts;
    const char *chain[TRUSTREG_RESOLVE_MAX_DEPTH + 1]; /* profiles being resolved, as named */
    char *real[TRUSTREG_RESOLVE_MAX_DEPTH + 1];        /* the same, as real paths (cycles) */
    int depth;
    struct tr_imported *cache; /* imported catalogs, each read (or resolved) once */
    size_t n_cache, cap_cache;
    int ver[3];      /* newest oscal-version seen among the profile and its imports */
    int ver_seen;
} tr_resolver;

/* Report a warning through opts->warn (formatted; dropped when there is no callback). */
void tr_resolve_warn(tr_resolver *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the oscal-version of one input; a different major version is TRUSTREG_EINPUT. */
int tr_resolve_note_version(tr_resolver *r, const char *source, const char *version);

/* Resolve the profile body of document root (named source, imports relative to base_dir). */
int tr_resolve_profile_body(tr_resolver *r, const json_t *profile, const char *source,
                            const char *base_dir, json_t **catalog_out);

/* ---- resolve_select.c: Import Phase ---- */

/*
 * Select from a catalog body (in its flat tree) what one import directive includes (include-all /
 * include-controls / exclude-controls, with-ids, matching, with-child-controls, ancestors).
 * ptr is the JSON pointer of the import in source, for messages. *out is a new selection.
 */
int tr_resolve_select(const tr_jdom *catalog, uint32_t body, const json_t *import,
                      const char *source, const char *ptr, json_t **out);

/* A jansson copy of node i of a flat tree (NULL when out of memory). */
json_t *tr_jdom_to_json(const tr_jdom *d, uint32_t i);

/*
 * A compiled list of include-controls / exclude-controls entries: matches(id) and whether the
 * matching entry asked for child controls.
 */
typedef struct tr_selector tr_selector;
int tr_selector_new(const json_t *entries, const char *source, const char *ptr, tr_selector **out);
/* 0: no match; 1: matched; 2: matched with with-child-controls "yes". */
int tr_selector_match(const tr_selector *s, const char *id);
void tr_selector_free(tr_selector *s);

/* ---- resolve_merge.c: Merge Phase ---- */

/*
 * Combine the selections (array, in import order) and structure them into body (a new catalog
 * body object; fills "params", "controls", "groups") as the profile's merge directive says.
 */
int tr_resolve_merge(tr_resolver *r, json_t *selections, const json_t *merge, const char *source,
                     json_t *body);

/* ---- resolve_modify.c: Modify Phase ---- */

int tr_resolve_modify(tr_resolver *r, json_t *body, const json_t *modify, const char *source);

/* ---- resolve_finish.c: Final Operations ---- */

/*
 * Back-matter: resources of the imports in order, then the profile's own (same uuid: the later
 * replaces the earlier unless keep=always), kept when referenced ("#uuid") from the result.
 * Also prunes unreferenced loose (catalog-level) params.
 */
int tr_resolve_backmatter(json_t *body, const json_t *selections, const json_t *profile);

/* Metadata of the result: the profile's, with last-modified, oscal-version, source-profile
 * link and prop, resolution-tool prop, and the keep=always roles and parties of the imports
 * (each selection's "metadata"). */
int tr_resolve_metadata(tr_resolver *r, json_t *body, const json_t *profile,
                        const json_t *selections, const char *source);

/* A new random version 4 UUID (libsodium randombytes) into out. */
void tr_resolve_uuid_v4(char out[37]);

/* Reorder the members of obj: first those named in order (NULL-terminated), then the rest. */
int tr_json_reorder(json_t *obj, const char *const *order);

extern const char *const tr_order_control[];
extern const char *const tr_order_group[];
extern const char *const tr_order_part[];
extern const char *const tr_order_param[];
extern const char *const tr_order_catalog[];
extern const char *const tr_order_metadata[];

/* Is the object marked with a prop name "keep", value "always"? */
int tr_keep_always(const json_t *obj);

#endif
