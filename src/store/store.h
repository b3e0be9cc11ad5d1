/*
 * store/store.h - the storage interface every backend implements.
 *
 * Library modules never run SQL themselves: they call these operations, which a backend
 * (store/sqlite.c now, PostgreSQL later) implements. Transactions are explicit: a user-visible
 * write is tr_store_begin ... tr_store_commit, with tr_store_rollback on any failure.
 */
#ifndef TR_STORE_STORE_H
#define TR_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "trustreg/catalog.h"
#include "trustreg/db.h"
#include "trustreg/oscal.h"

/* A document row as stored. */
typedef struct tr_doc_row {
    const char *uuid;
    const char *model;
    const char *title;
    const char *version;
    const char *oscal_version;
    const char *sha256;
    const char *source;
    const unsigned char *body;
    size_t body_len;
    const unsigned char *packed; /* body compressed by tr_pack, or NULL: the backend packs it */
    size_t packed_len;
    long controls, groups; /* catalog index sizes, known before the insert (see import.c) */
} tr_doc_row;

/* A group row of a catalog. */
typedef struct tr_group_row {
    const char *group_id;
    const char *parent_path; /* "" for top-level groups */
    const char *path;        /* ids joined with "/" */
    const char *title;
    long ord;
} tr_group_row;

/* A control row of a catalog. */
typedef struct tr_control_row {
    const char *control_id;
    const char *parent_id;
    const char *group_path;
    const char *group_title;
    const char *label;
    const char *title;
    const char *class_;
    const char *statement;
    const char *guidance;
    const char *params_json; /* [{"id":..,"text":..}] */
    int withdrawn;
    int depth;
    long ord;
} tr_control_row;

typedef struct tr_store_ops {
    const char *name;
    void (*close)(void *impl);
    int (*schema_version)(void *impl, int *version);
    int (*begin)(void *impl);
    int (*commit)(void *impl);
    int (*rollback)(void *impl);

    /* documents */
    int (*doc_find_sha)(void *impl, const char *sha256, int64_t *id); /* id 0 when absent */
    int (*doc_insert)(void *impl, const tr_doc_row *row, int64_t *id);
    /* the body of the document named by key: a row id, a SHA-256, or a uuid (latest import) */
    int (*doc_body)(void *impl, const char *key, unsigned char **body, size_t *len);
    int (*doc_list)(void *impl, const char *model, trustreg_doc_info **docs, size_t *n);
    int (*doc_counts)(void *impl, int64_t id, long *controls, long *groups);

    /* catalog index */
    int (*group_insert)(void *impl, int64_t doc_id, const tr_group_row *row);
    int (*control_insert)(void *impl, int64_t doc_id, const tr_control_row *row);
    int (*control_get)(void *impl, const char *catalog_uuid, const char *control_id,
                       trustreg_control **out);
    int (*search)(void *impl, const char *fts_query, const trustreg_search_opts *opts,
                  trustreg_search_hit **hits, size_t *n);
} tr_store_ops;

struct trustreg_db {
    const tr_store_ops *ops;
    void *impl;
    char *path;
};

/*
 * Module stores. Each module's SQL lives in its own file under src/store/ (e.g.
 * sqlite_registry.c) behind functions declared in its own header (e.g. registry_store.h); those
 * functions reach the connection through these accessors. Only src/store/ may use them.
 * A PostgreSQL backend will implement the same module headers.
 */
struct sqlite3;
struct sqlite3 *tr_store_sqlite(trustreg_db *db); /* NULL when the backend is not SQLite */
/* Record TRUSTREG_ESTORE with the connection's last error ("path: what: reason"). */
int tr_store_sql_error(trustreg_db *db, const char *what);

/* Backends */
int tr_sqlite_open(const char *path, unsigned flags, const tr_store_ops **ops, void **impl);

/* Transaction helpers used by every write path (commit honours the crash-test hook). */
int tr_store_begin(trustreg_db *db);
int tr_store_commit(trustreg_db *db);
void tr_store_rollback(trustreg_db *db);

#endif
