/*
 * trustreg/oscal.h - OSCAL documents: parse, identify, import into the store, export.
 *
 * Any OSCAL JSON document is accepted: catalog, profile, component-definition,
 * system-security-plan, assessment-plan, assessment-results, plan-of-action-and-milestones and
 * mapping-collection. Parsing is bounded (TRUSTREG_OSCAL_MAX_BYTES, TRUSTREG_OSCAL_MAX_DEPTH) and
 * every error names the source and a line:column or JSON pointer.
 *
 * Documents are stored byte for byte as imported, with their SHA-256; catalogs are also indexed
 * control by control (see trustreg/catalog.h).
 */
#ifndef TRUSTREG_OSCAL_H
#define TRUSTREG_OSCAL_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TRUSTREG_OSCAL_MAX_BYTES (64u * 1024u * 1024u) /* largest document accepted */
#define TRUSTREG_OSCAL_MAX_DEPTH 128                   /* deepest nesting of arrays/objects */
#define TRUSTREG_SHA256_HEX_LEN 64

typedef enum trustreg_oscal_model {
    TRUSTREG_MODEL_UNKNOWN = 0,
    TRUSTREG_MODEL_CATALOG,
    TRUSTREG_MODEL_PROFILE,
    TRUSTREG_MODEL_COMPONENT_DEFINITION,
    TRUSTREG_MODEL_SSP,
    TRUSTREG_MODEL_ASSESSMENT_PLAN,
    TRUSTREG_MODEL_ASSESSMENT_RESULTS,
    TRUSTREG_MODEL_POAM,
    TRUSTREG_MODEL_MAPPING_COLLECTION,
} trustreg_oscal_model;

/* The top-level key of a model ("catalog", "system-security-plan", ...); NULL for UNKNOWN. */
const char *trustreg_oscal_model_name(trustreg_oscal_model model);

/* The model whose top-level key is name, or TRUSTREG_MODEL_UNKNOWN. */
trustreg_oscal_model trustreg_oscal_model_from_name(const char *name);

/* A parsed OSCAL document. All strings are owned by the document. */
typedef struct trustreg_oscal_doc {
    json_t *root;                 /* the whole JSON document */
    json_t *body;                 /* root[model name], borrowed from root */
    trustreg_oscal_model model;
    const char *uuid;             /* body.uuid */
    const char *title;            /* body.metadata.title */
    const char *version;          /* body.metadata.version */
    const char *oscal_version;    /* body.metadata.oscal-version */
    char sha256[TRUSTREG_SHA256_HEX_LEN + 1]; /* of the bytes as read */
    unsigned char *bytes;         /* the document as read */
    size_t len;
    char *source;                 /* file name or the name given to parse */
    struct tr_jdom *dom;          /* internal: the flat tree the import walks */
    size_t bytes_mapped;          /* internal: bytes is a mapping of this size, else malloc'ed */
    unsigned char *packed;        /* internal: bytes compressed for storage, or NULL */
    size_t packed_len;
} trustreg_oscal_doc;

/*
 * Parse an OSCAL document from memory. source names the input in error messages.
 * Checks: size, nesting depth, JSON syntax (line:column), duplicate keys, a known model,
 * and the types of the fields the store relies on (uuid, metadata title/version/oscal-version,
 * and for catalogs groups/controls/params/parts), each reported with its JSON pointer.
 */
int trustreg_oscal_doc_parse(trustreg_oscal_doc **out, const void *bytes, size_t len,
                             const char *source);

/* Read and parse a file ("-" reads standard input), bounded by TRUSTREG_OSCAL_MAX_BYTES. */
int trustreg_oscal_doc_load_file(trustreg_oscal_doc **out, const char *path);

void trustreg_oscal_doc_free(trustreg_oscal_doc *doc);

/* What one imported document became. */
typedef struct trustreg_import_result {
    char *file;
    trustreg_oscal_model model;
    char *uuid;
    char *title;
    char *version;
    char *oscal_version;
    char sha256[TRUSTREG_SHA256_HEX_LEN + 1];
    int64_t doc_id;   /* row id of the stored document */
    long controls;    /* controls and enhancements indexed (catalogs), else 0 */
    long groups;      /* groups indexed (catalogs), else 0 */
    int unchanged;    /* 1 when the same bytes were already stored */
} trustreg_import_result;

/*
 * Progress callback for long operations: done and total are in bytes (or items);
 * what names the current item. Called from the calling thread.
 */
typedef void (*trustreg_progress_fn)(void *ctx, uint64_t done, uint64_t total, const char *what);

/*
 * Import files in one transaction: either every document is stored (and indexed) or, on the
 * first error, none is and the database is unchanged. On success *results holds n results
 * (free with trustreg_import_results_free). progress may be NULL.
 */
int trustreg_oscal_import_files(trustreg_db *db, const char *const *paths, size_t n,
                                trustreg_progress_fn progress, void *progress_ctx,
                                trustreg_import_result **results);

/*
 * Store documents already in memory (e.g. a resolved catalog) in one transaction, exactly as
 * trustreg_oscal_import_files does; result[i].file is doc[i]->source. Free with
 * trustreg_import_results_free.
 */
int trustreg_oscal_import_docs(trustreg_db *db, trustreg_oscal_doc *const *docs, size_t n,
                               trustreg_import_result **results);

void trustreg_import_results_free(trustreg_import_result *results, size_t n);

enum trustreg_export_format {
    TRUSTREG_EXPORT_ORIGINAL = 0, /* the exact bytes that were imported */
    TRUSTREG_EXPORT_PRETTY,       /* re-serialised, two-space indent, key order kept */
    TRUSTREG_EXPORT_COMPACT,      /* re-serialised without white space, key order kept */
};

/*
 * Export a stored document. uuid names it by its uuid (the most recent import with that uuid),
 * or by its SHA-256 or its row id as shown by trustreg_oscal_list, which also reach earlier
 * versions. *out is malloc'ed (free()), *len its length. TRUSTREG_ENOTFOUND when none matches.
 */
int trustreg_oscal_export(trustreg_db *db, const char *uuid, enum trustreg_export_format format,
                          char **out, size_t *len);

/*
 * Export to a file: written to a temporary file beside path, flushed to disk, then renamed over
 * path, so path holds either its old content or the whole new document, never a part.
 */
int trustreg_oscal_export_file(trustreg_db *db, const char *uuid,
                               enum trustreg_export_format format, const char *path);

/* A stored document, as listed. */
typedef struct trustreg_doc_info {
    int64_t id;
    trustreg_oscal_model model;
    char *uuid;
    char *title;
    char *version;
    char *oscal_version;
    char sha256[TRUSTREG_SHA256_HEX_LEN + 1];
    char *source;
    char *imported_at; /* RFC 3339, UTC */
    int64_t size;
    long controls;
} trustreg_doc_info;

/*
 * List stored documents, newest first; model TRUSTREG_MODEL_UNKNOWN lists all models.
 * Free with trustreg_doc_infos_free.
 */
int trustreg_oscal_list(trustreg_db *db, trustreg_oscal_model model, trustreg_doc_info **docs,
                        size_t *n);
void trustreg_doc_infos_free(trustreg_doc_info *docs, size_t n);

/* JSON shapes shared by the CLI and the HTTP API (new references; json_decref them). */
json_t *trustreg_import_result_to_json(const trustreg_import_result *r);
json_t *trustreg_doc_info_to_json(const trustreg_doc_info *d);

#ifdef __cplusplus
}
#endif
#endif
