/*
 * store/tlog_store.h - the transparency log's storage operations (SQL in store/sqlite_tlog.c).
 *
 * Tables (migration tr_tlog_schema_sql):
 *   tlog_state       one row: the tree size
 *   tlog_tiles       hash tiles (level, idx, width, hashes): see tlog/tiles.h for the layout
 *   tlog_meta        key/value: log origin, verifier key, key file, witness identity
 *   tlog_checkpoints signed checkpoints by tree size (note text, root)
 *   log_entries      statements appended with 'trustreg log append' (idx = leaf index)
 *   tlog_witness_*   the witness role: logs it follows, and checkpoints it refused
 * None of these functions opens a transaction: callers wrap writes in tr_store_begin/commit.
 */
#ifndef TR_STORE_TLOG_STORE_H
#define TR_STORE_TLOG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "trustreg/db.h"

extern const char tr_tlog_schema_sql[];

/* Non-zero when a transaction is open on db (appends must run inside one). */
int tr_tlog_store_in_transaction(trustreg_db *db);

/* Prepared statements for the hot paths (tile reads and writes), for one operation. */
typedef struct tr_tlog_store tr_tlog_store;

int tr_tlog_store_open(trustreg_db *db, tr_tlog_store **out);
void tr_tlog_store_close(tr_tlog_store *s);

/* Tree size as recorded in tlog_state. */
int tr_tlog_store_get_size(tr_tlog_store *s, uint64_t *size);
int tr_tlog_store_set_size(tr_tlog_store *s, uint64_t size);

/*
 * Copy the hashes of tile (level, idx) into buf (cap bytes) and its width; TRUSTREG_ENOTFOUND
 * when the tile does not exist. *len is the number of bytes stored.
 */
int tr_tlog_store_get_tile(tr_tlog_store *s, unsigned level, uint64_t idx, uint8_t *buf,
                           size_t cap, size_t *len, unsigned *width);
/*
 * Read one hash (tile level k, position pos) of tile (level, idx) through an incremental blob
 * handle kept on the tile: no copy of the tile, one B-tree lookup when the tile changes.
 */
int tr_tlog_store_read_node(tr_tlog_store *s, unsigned level, uint64_t idx, unsigned k,
                            unsigned pos, uint8_t out[32]);
/* Tiles opened by tr_tlog_store_read_node so far. */
unsigned long tr_tlog_store_tile_opens(const tr_tlog_store *s);
/* Close the blob handle (before writing, or to end a read transaction). */
void tr_tlog_store_release(tr_tlog_store *s);

int tr_tlog_store_put_tile(tr_tlog_store *s, unsigned level, uint64_t idx, unsigned width,
                           const uint8_t *hashes, size_t len);

/* Every tile in (level, idx) order; cb returns non-zero to stop (that value is returned). */
typedef int (*tr_tlog_tile_cb)(void *ctx, unsigned level, uint64_t idx, unsigned width,
                               const uint8_t *hashes, size_t len);
int tr_tlog_store_each_tile(trustreg_db *db, tr_tlog_tile_cb cb, void *ctx);

/* Stored statements of 'trustreg log append' (the stand-in for registry rows). */
int tr_tlog_store_put_statement(tr_tlog_store *s, uint64_t idx, const void *data, size_t len);
/* TRUSTREG_ENOTFOUND when no statement is stored for idx. *data is malloc'ed, NUL-terminated. */
int tr_tlog_store_get_statement(trustreg_db *db, uint64_t idx, unsigned char **data, size_t *len);
typedef int (*tr_tlog_row_cb)(void *ctx, uint64_t idx, const unsigned char *data, size_t len);
int tr_tlog_store_each_statement(trustreg_db *db, tr_tlog_row_cb cb, void *ctx);

/* tlog_meta: *value is malloc'ed, NULL when the key is absent. */
int tr_tlog_store_meta_get(trustreg_db *db, const char *key, char **value);
int tr_tlog_store_meta_set(trustreg_db *db, const char *key, const char *value);

/* Signed checkpoints. */
typedef struct tr_tlog_checkpoint_row {
    uint64_t size;
    uint8_t root[32];
    char *note; /* the signed note text */
    char signed_at[21];
} tr_tlog_checkpoint_row;
int tr_tlog_store_put_checkpoint(trustreg_db *db, uint64_t size, const uint8_t root[32],
                                 const char *note);
/* The checkpoint of exactly size, or the latest (largest) with size UINT64_MAX;
 * TRUSTREG_ENOTFOUND when there is none. */
int tr_tlog_store_get_checkpoint(trustreg_db *db, uint64_t size, tr_tlog_checkpoint_row *row);
typedef int (*tr_tlog_checkpoint_cb)(void *ctx, const tr_tlog_checkpoint_row *row);
int tr_tlog_store_each_checkpoint(trustreg_db *db, tr_tlog_checkpoint_cb cb, void *ctx);
void tr_tlog_checkpoint_row_clear(tr_tlog_checkpoint_row *row);

/* Witness role: the logs followed and the latest checkpoint cosigned for each. */
typedef struct tr_tlog_witness_row {
    char *origin;
    char *vkey;
    uint64_t size;
    uint8_t root[32];
    int has_root;
    char *checkpoint; /* the last checkpoint cosigned, with all signatures; NULL when none */
} tr_tlog_witness_row;
int tr_tlog_store_witness_add(trustreg_db *db, const char *origin, const char *vkey);
int tr_tlog_store_witness_get(trustreg_db *db, const char *origin, tr_tlog_witness_row *row);
int tr_tlog_store_witness_update(trustreg_db *db, const char *origin, uint64_t size,
                                 const uint8_t root[32], const char *checkpoint);
int tr_tlog_store_witness_refusal(trustreg_db *db, const char *origin, const char *reason,
                                  const void *request, size_t len);
void tr_tlog_witness_row_clear(tr_tlog_witness_row *row);

#endif
