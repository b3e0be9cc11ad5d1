/*
 * trustreg/resolve.h - OSCAL profile resolution: a profile (plus the catalogs and profiles it
 * imports) becomes one catalog, as the NIST OSCAL profile resolution specification says
 * (../shared/data/oscal/spec/profile-resolution-specml.xml): import, merge, modify, then
 * back-matter and metadata. docs/resolve.md describes every rule and its limits.
 *
 * Imports are read from local files only; there is never any network access. An import href is
 *   - looked up first in the caller's map (href exactly as written -> local file),
 *   - "#uuid": a resource of the importing profile's back-matter; its rlinks are tried in order,
 *     JSON ones (media-type or ".json") first, then a base64 copy,
 *   - a relative path, resolved against the folder of the importing file; ".xml"/".yaml" hrefs
 *     are read from the ".json" sibling (only JSON is parsed),
 *   - an absolute URL (scheme://): refused unless mapped.
 * Imported profiles are resolved recursively; an import cycle or a missing import is an error that
 * names the chain of profiles ("a.json -> b.json -> a.json").
 */
#ifndef TRUSTREG_RESOLVE_H
#define TRUSTREG_RESOLVE_H

#include <stddef.h>
#include <jansson.h>

#include "db.h"
#include "oscal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest chain of profiles importing profiles. */
#define TRUSTREG_RESOLVE_MAX_DEPTH 16

/* The OSCAL version this resolver implements; a resolved catalog never claims a newer one. */
#define TRUSTREG_RESOLVE_OSCAL_VERSION "1.1.2"

/* One --map entry: an import or rlink href, exactly as written, read from a local file instead. */
typedef struct trustreg_resolve_map {
    const char *href;
    const char *file; /* relative to the current directory, or absolute */
} trustreg_resolve_map;

/* Non-fatal findings the specification says SHOULD be reported (unmatched alter, ...). */
typedef void (*trustreg_resolve_warn_fn)(void *ctx, const char *message);

typedef struct trustreg_resolve_opts {
    const trustreg_resolve_map *maps;
    size_t n_maps;
    trustreg_resolve_warn_fn warn; /* NULL: warnings are dropped */
    void *warn_ctx;
    const char *uuid;          /* uuid of the result; NULL: a new random (version 4) uuid */
    const char *last_modified; /* NULL: now (UTC, RFC 3339) */
} trustreg_resolve_opts;

/*
 * Resolve the profile at profile_path into a catalog. On success *catalog_out is a new
 * reference to the whole document ({"catalog": {...}}; json_decref it). opts may be NULL.
 * Errors: TRUSTREG_ENOTFOUND (profile or an import missing), TRUSTREG_EINPUT (not a profile,
 * bad directive, cycle: the message names the file, JSON pointer and import chain),
 * TRUSTREG_EINTERNAL (out of memory).
 */
int trustreg_profile_resolve(const char *profile_path, const trustreg_resolve_opts *opts,
                             json_t **catalog_out);

/*
 * Resolve a profile held in memory (len bytes). source names it in messages and in the
 * source-profile link; relative imports are resolved against base_dir ("." when NULL).
 */
int trustreg_profile_resolve_mem(const void *bytes, size_t len, const char *source,
                                 const char *base_dir, const trustreg_resolve_opts *opts,
                                 json_t **catalog_out);

/*
 * Serialise a resolved catalog the way trustreg writes it: two-space indent, member order kept,
 * UTF-8, a final newline. *out is malloc'ed (free()).
 */
int trustreg_resolved_dump(const json_t *catalog, char **out, size_t *len);

/*
 * Store a resolved catalog in the database (indexed, searchable) through the ordinary import
 * path, serialised as trustreg_resolved_dump does; source names it in the store. *result is
 * one result (free with trustreg_import_results_free(result, 1)).
 */
int trustreg_resolved_store(trustreg_db *db, const json_t *catalog, const char *source,
                            trustreg_import_result **result);

/* Count controls (nested ones too) and groups (nested too) of a catalog document. */
void trustreg_resolved_counts(const json_t *catalog, long *controls, long *groups);

#ifdef __cplusplus
}
#endif
#endif
