/*
 * oscal/import.c - storing OSCAL documents: import (one transaction for all files), export, and
 * the document listing, plus their JSON shapes shared by the CLI and the HTTP API.
 */
#include "oscal/catalog_walk.h"
#include "oscal/doc.h"
#include "store/store.h"
#include "trustreg/oscal.h"
#include "util/error.h"
#include "util/file.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct index_ctx {
    trustreg_db *db;
    int64_t doc_id;
} index_ctx;

static int sink_group(void *ctx, const tr_group_row *row)
{
    index_ctx *x = ctx;
    return x->db->ops->group_insert(x->db->impl, x->doc_id, row);
}

static int sink_control(void *ctx, const tr_control_row *row)
{
    index_ctx *x = ctx;
    return x->db->ops->control_insert(x->db->impl, x->doc_id, row);
}

static int store_doc(trustreg_db *db, const trustreg_oscal_doc *doc, trustreg_import_result *r)
{
    return tr_oscal_store_doc(db, doc, r);
}

int tr_oscal_store_doc(trustreg_db *db, const trustreg_oscal_doc *doc, trustreg_import_result *r)
{
    int64_t existing = 0;
    int rc = db->ops->doc_find_sha(db->impl, doc->sha256, &existing);
    if (rc)
        return rc;
    if (existing) {
        r->doc_id = existing;
        r->unchanged = 1;
        return db->ops->doc_counts(db->impl, existing, &r->controls, &r->groups);
    }
    tr_doc_row row = {
        .uuid = doc->uuid,
        .model = trustreg_oscal_model_name(doc->model),
        .title = doc->title,
        .version = doc->version,
        .oscal_version = doc->oscal_version,
        .sha256 = doc->sha256,
        .source = doc->source,
        .body = doc->bytes,
        .body_len = doc->len,
        .packed = doc->packed,
        .packed_len = doc->packed_len,
    };
    /* A first walk without a sink checks the catalog and counts its rows without rendering
     * anything, so that the document row is written once, complete (an update would rewrite
     * the body too) and a bad catalog is refused before anything is written. */
    if (doc->model == TRUSTREG_MODEL_CATALOG &&
        (rc = tr_catalog_walk(doc, NULL, &row.controls, &row.groups)))
        return rc;
    if ((rc = db->ops->doc_insert(db->impl, &row, &r->doc_id)))
        return rc;
    if (doc->model == TRUSTREG_MODEL_CATALOG) {
        index_ctx x = {db, r->doc_id};
        tr_catalog_sink sink = {&x, sink_group, sink_control};
        if ((rc = tr_catalog_walk(doc, &sink, &r->controls, &r->groups)))
            return rc;
        if (r->controls != row.controls || r->groups != row.groups)
            return tr_error(TRUSTREG_EINTERNAL, "%s: catalog counts changed between walks",
                            doc->source);
    }
    return rc;
}

static int fill_result(trustreg_import_result *r, const char *path, const trustreg_oscal_doc *doc)
{
    r->file = tr_strdup(path);
    r->model = doc->model;
    r->uuid = tr_strdup(doc->uuid);
    r->title = tr_strdup(doc->title);
    r->version = tr_strdup(doc->version);
    r->oscal_version = tr_strdup(doc->oscal_version);
    memcpy(r->sha256, doc->sha256, sizeof r->sha256);
    if (!r->file || !r->uuid || !r->title || !r->version || !r->oscal_version)
        return tr_error_oom();
    return TRUSTREG_OK;
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return (uint64_t)st.st_size;
    return 0;
}

/* Where the documents of one import come from: files read one by one, or documents in memory. */
typedef struct import_source {
    const char *const *paths;         /* files, or NULL */
    trustreg_oscal_doc *const *docs;  /* documents in memory, or NULL */
    trustreg_progress_fn progress;
    void *progress_ctx;
    uint64_t done, total;
} import_source;

static int next_doc(import_source *src, size_t i, trustreg_oscal_doc **doc, const char **name)
{
    if (src->docs) {
        *doc = src->docs[i];
        *name = (*doc)->source;
        return TRUSTREG_OK;
    }
    *name = src->paths[i];
    if (src->progress)
        src->progress(src->progress_ctx, src->done, src->total, *name);
    int rc = tr_oscal_doc_load(doc, *name, TR_DOC_PACK); /* no jansson tree needed */
    src->done += file_size(*name);
    if (src->progress)
        src->progress(src->progress_ctx, src->done, src->total, *name);
    return rc;
}

/* The one write path of every import: all documents in one transaction, or none. */
static int import_all(trustreg_db *db, import_source *src, size_t n,
                      trustreg_import_result **results)
{
    trustreg_import_result *res = calloc(n ? n : 1, sizeof *res);
    if (!res)
        return tr_error_oom();
    int rc = tr_store_begin(db);
    for (size_t i = 0; !rc && i < n; i++) {
        trustreg_oscal_doc *doc = NULL;
        const char *name = NULL;
        rc = next_doc(src, i, &doc, &name);
        if (!rc)
            rc = fill_result(&res[i], name, doc);
        if (!rc)
            rc = store_doc(db, doc, &res[i]);
        if (src->paths) {
            src->done += file_size(name);
            trustreg_oscal_doc_free(doc);
        }
    }
    if (!rc)
        rc = tr_store_commit(db);
    if (rc) {
        tr_store_rollback(db);
        trustreg_import_results_free(res, n);
        return rc;
    }
    if (src->progress)
        src->progress(src->progress_ctx, src->total, src->total, "");
    *results = res;
    return TRUSTREG_OK;
}

int trustreg_oscal_import_files(trustreg_db *db, const char *const *paths, size_t n,
                                trustreg_progress_fn progress, void *progress_ctx,
                                trustreg_import_result **results)
{
    *results = NULL;
    if (!db || (!paths && n))
        return tr_error(TRUSTREG_EUSAGE, "trustreg_oscal_import_files: no database or paths");
    /* Twice the bytes: reading+parsing is the first half of the work, storing the second. */
    import_source src = {.paths = paths, .progress = progress, .progress_ctx = progress_ctx};
    for (size_t i = 0; i < n; i++)
        src.total += 2 * file_size(paths[i]);
    return import_all(db, &src, n, results);
}

int trustreg_oscal_import_docs(trustreg_db *db, trustreg_oscal_doc *const *docs, size_t n,
                               trustreg_import_result **results)
{
    *results = NULL;
    if (!db || (!docs && n))
        return tr_error(TRUSTREG_EUSAGE, "trustreg_oscal_import_docs: no database or documents");
    import_source src = {.docs = docs};
    return import_all(db, &src, n, results);
}

void trustreg_import_results_free(trustreg_import_result *results, size_t n)
{
    if (!results)
        return;
    for (size_t i = 0; i < n; i++) {
        free(results[i].file);
        free(results[i].uuid);
        free(results[i].title);
        free(results[i].version);
        free(results[i].oscal_version);
    }
    free(results);
}

int trustreg_oscal_export(trustreg_db *db, const char *uuid, enum trustreg_export_format format,
                          char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    unsigned char *body = NULL;
    size_t blen = 0;
    int rc = db->ops->doc_body(db->impl, uuid, &body, &blen);
    if (rc)
        return rc;
    if (format == TRUSTREG_EXPORT_ORIGINAL) {
        *out = (char *)body;
        *len = blen;
        return TRUSTREG_OK;
    }
    json_error_t jerr;
    json_t *root = json_loadb((const char *)body, blen, 0, &jerr);
    free(body);
    if (!root)
        return tr_error(TRUSTREG_ESTORE, "stored document %s does not parse: %s", uuid, jerr.text);
    size_t flags = format == TRUSTREG_EXPORT_PRETTY ? JSON_INDENT(2) : JSON_COMPACT;
    char *s = json_dumps(root, flags | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!s)
        return tr_error_oom();
    if (format == TRUSTREG_EXPORT_PRETTY) {
        size_t n = strlen(s);
        char *p = realloc(s, n + 2);
        if (!p) {
            free(s);
            return tr_error_oom();
        }
        p[n] = '\n';
        p[n + 1] = '\0';
        s = p;
    }
    *out = s;
    *len = strlen(s);
    return TRUSTREG_OK;
}

int trustreg_oscal_export_file(trustreg_db *db, const char *uuid,
                               enum trustreg_export_format format, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    int rc = trustreg_oscal_export(db, uuid, format, &data, &len);
    if (rc)
        return rc;
    rc = tr_file_write_atomic(path, data, len);
    free(data);
    return rc;
}

int trustreg_oscal_list(trustreg_db *db, trustreg_oscal_model model, trustreg_doc_info **docs,
                        size_t *n)
{
    return db->ops->doc_list(db->impl, trustreg_oscal_model_name(model), docs, n);
}

void trustreg_doc_infos_free(trustreg_doc_info *docs, size_t n)
{
    if (!docs)
        return;
    for (size_t i = 0; i < n; i++) {
        free(docs[i].uuid);
        free(docs[i].title);
        free(docs[i].version);
        free(docs[i].oscal_version);
        free(docs[i].source);
        free(docs[i].imported_at);
    }
    free(docs);
}

json_t *trustreg_import_result_to_json(const trustreg_import_result *r)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b}", "file", r->file,
                     "model", trustreg_oscal_model_name(r->model), "uuid", r->uuid, "title",
                     r->title, "version", r->version, "oscal_version", r->oscal_version, "sha256",
                     r->sha256, "controls", (json_int_t)r->controls, "groups",
                     (json_int_t)r->groups, "unchanged", r->unchanged);
}

json_t *trustreg_doc_info_to_json(const trustreg_doc_info *d)
{
    const char *model = trustreg_oscal_model_name(d->model);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
                     (json_int_t)d->id, "model", model ? model : "unknown", "uuid", d->uuid,
                     "title", d->title, "version", d->version, "oscal_version", d->oscal_version,
                     "sha256", d->sha256, "source", d->source, "imported_at", d->imported_at,
                     "size", (json_int_t)d->size, "controls", (json_int_t)d->controls);
}
