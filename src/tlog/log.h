/*
 * tlog/log.h - the internal side of the log for other modules (the registry): appending leaves
 * inside the caller's open transaction, and the table of statement sources that 'trustreg
 * audit' and 'trustreg log entry' read.
 *
 * A registry change and its log leaf commit together:
 *     tr_store_begin(db);
 *     ... write the registry rows ...
 *     tr_tlog_append_in_txn(db, statement, len, &index);   (statement: canonical JSON)
 *     ... record index with the rows ...
 *     tr_store_commit(db);   (or tr_store_rollback on any failure: neither lands)
 */
#ifndef TR_TLOG_LOG_H
#define TR_TLOG_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "store/tlog_store.h"
#include "trustreg/tlog.h"

typedef struct tr_tlog_bytes {
    const void *data;
    size_t len;
} tr_tlog_bytes;

/* Append one entry as a leaf; must run inside an open transaction (tr_store_begin). */
int tr_tlog_append_in_txn(trustreg_db *db, const void *entry, size_t len, uint64_t *index);
/* Append n entries as consecutive leaves; *first_index is the first one's index. */
int tr_tlog_append_batch_in_txn(trustreg_db *db, const tr_tlog_bytes *entries, size_t n,
                                uint64_t *first_index);

/* Append n entries and keep them in log_entries (the stand-in for registry rows). */
int tr_tlog_append_statements_in_txn(trustreg_db *db, const tr_tlog_bytes *entries, size_t n,
                                     uint64_t *first_index);

struct tr_note_verifier;
/* The log's verifier key and origin (malloc'ed) from the database. */
int tr_tlog_log_verifier(trustreg_db *db, struct tr_note_verifier *v, char **origin);

/*
 * A source of stored statements: where the log's entries are kept outside the log (the
 * log_entries table of 'trustreg log append', registry rows). audit checks each statement's
 * leaf hash against the tree and that every leaf has exactly one statement.
 */
typedef struct tr_tlog_source {
    const char *name; /* shown in findings: "log_entries", "star_entries", ... */
    /* call cb for each stored statement with the leaf index it was logged at */
    int (*each)(trustreg_db *db, tr_tlog_row_cb cb, void *ctx);
    /* the statement logged at index; TRUSTREG_ENOTFOUND when this source has none */
    int (*get)(trustreg_db *db, uint64_t index, unsigned char **data, size_t *len);
} tr_tlog_source;

/* NULL-terminated list (tlog/sources.c); a module adds its source with one line there. */
extern const tr_tlog_source *const tr_tlog_sources[];

#endif
