/*
 * store/sqlite_tlog.c - SQLite side of the transparency log: its migration and every query of
 * the tlog module (tlog_store.h). The hot paths (tile reads and writes during appends and
 * proofs) keep their prepared statements in a tr_tlog_store for the length of one operation.
 */
#include "store/store.h"
#include "store/tlog_store.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char tr_tlog_schema_sql[] =
    "CREATE TABLE tlog_state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  size INTEGER NOT NULL CHECK (size >= 0)"
    ");"
    "INSERT INTO tlog_state(id, size) VALUES (1, 0);"
    /* id = level * 2^48 + idx: one B-tree lookup per tile, and blob handles by rowid */
    "CREATE TABLE tlog_tiles ("
    "  id INTEGER PRIMARY KEY,"
    "  level INTEGER NOT NULL,"
    "  idx INTEGER NOT NULL,"
    "  width INTEGER NOT NULL,"
    "  hashes BLOB NOT NULL,"
    "  CHECK (id = level * 281474976710656 + idx)"
    ");"
    "CREATE TABLE tlog_meta ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE TABLE tlog_checkpoints ("
    "  size INTEGER PRIMARY KEY,"
    "  root BLOB NOT NULL,"
    "  note TEXT NOT NULL,"
    "  signed_at TEXT NOT NULL"
    ");"
    "CREATE TABLE log_entries ("
    "  idx INTEGER PRIMARY KEY,"
    "  statement BLOB NOT NULL,"
    "  appended_at TEXT NOT NULL"
    ");"
    "CREATE TABLE tlog_witness_logs ("
    "  origin TEXT PRIMARY KEY,"
    "  vkey TEXT NOT NULL,"
    "  size INTEGER NOT NULL DEFAULT 0,"
    "  root BLOB,"
    "  checkpoint TEXT,"
    "  updated_at TEXT"
    ");"
    "CREATE TABLE tlog_witness_refusals ("
    "  id INTEGER PRIMARY KEY,"
    "  origin TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  request BLOB NOT NULL,"
    "  at TEXT NOT NULL"
    ");";

struct tr_tlog_store {
    trustreg_db *db;
    sqlite3 *sql;
    sqlite3_stmt *get_tile;
    sqlite3_stmt *put_tile;
    sqlite3_stmt *put_statement;
    sqlite3_blob *blob; /* open on tile blob_rowid, for single-node reads */
    sqlite3_int64 blob_rowid;
    unsigned blob_width;
    unsigned long blob_opens;
};

static sqlite3_int64 tile_rowid(unsigned level, uint64_t idx)
{
    return (sqlite3_int64)(((uint64_t)level << 48) | idx);
}

static int prep(trustreg_db *db, const char *sql, sqlite3_stmt **st)
{
    sqlite3 *h = tr_store_sqlite(db);
    if (!h)
        return tr_error(TRUSTREG_ESTORE, "the transparency log needs the SQLite store");
    if (sqlite3_prepare_v2(h, sql, -1, st, NULL) != SQLITE_OK)
        return tr_store_sql_error(db, "preparing a log query");
    return TRUSTREG_OK;
}

int tr_tlog_store_in_transaction(trustreg_db *db)
{
    sqlite3 *h = tr_store_sqlite(db);
    return h && !sqlite3_get_autocommit(h);
}

int tr_tlog_store_open(trustreg_db *db, tr_tlog_store **out)
{
    *out = NULL;
    tr_tlog_store *s = calloc(1, sizeof *s);
    if (!s)
        return tr_error_oom();
    s->db = db;
    s->sql = tr_store_sqlite(db);
    int rc = prep(db, "SELECT width, hashes FROM tlog_tiles WHERE id = ?1 * 281474976710656 + ?2",
                  &s->get_tile);
    if (!rc)
        rc = prep(db,
                  "INSERT INTO tlog_tiles(id, level, idx, width, hashes)"
                  " VALUES (?1 * 281474976710656 + ?2, ?1, ?2, ?3, ?4)"
                  " ON CONFLICT(id) DO UPDATE SET width = excluded.width,"
                  " hashes = excluded.hashes",
                  &s->put_tile);
    if (rc) {
        tr_tlog_store_close(s);
        return rc;
    }
    *out = s;
    return TRUSTREG_OK;
}

void tr_tlog_store_close(tr_tlog_store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->get_tile);
    sqlite3_finalize(s->put_tile);
    sqlite3_finalize(s->put_statement);
    if (s->blob)
        sqlite3_blob_close(s->blob);
    free(s);
}

int tr_tlog_store_get_size(tr_tlog_store *s, uint64_t *size)
{
    sqlite3_stmt *st;
    int rc = prep(s->db, "SELECT size FROM tlog_state WHERE id = 1", &st);
    if (rc)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 v = sqlite3_column_int64(st, 0);
        *size = v < 0 ? 0 : (uint64_t)v;
    } else {
        rc = tr_error(TRUSTREG_ESTORE, "%s: the log state row is missing (database damaged?)",
                      trustreg_db_path(s->db));
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_set_size(tr_tlog_store *s, uint64_t size)
{
    sqlite3_stmt *st;
    int rc = prep(s->db, "UPDATE tlog_state SET size = ? WHERE id = 1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    if (sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(s->sql) != 1)
        rc = tr_store_sql_error(s->db, "recording the log size");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_get_tile(tr_tlog_store *s, unsigned level, uint64_t idx, uint8_t *buf,
                           size_t cap, size_t *len, unsigned *width)
{
    sqlite3_stmt *st = s->get_tile;
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
    int rc = TRUSTREG_OK;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        int w = sqlite3_column_int(st, 0);
        int n = sqlite3_column_bytes(st, 1);
        const void *p = sqlite3_column_blob(st, 1);
        if (w < 0 || w > 256 || n < 0 || (size_t)n > cap) {
            rc = tr_error(TRUSTREG_ESTORE, "%s: log tile %u/%llu is malformed (width %d, %d bytes)",
                          trustreg_db_path(s->db), level, (unsigned long long)idx, w, n);
        } else {
            if (n)
                memcpy(buf, p, (size_t)n);
            *len = (size_t)n;
            *width = (unsigned)w;
        }
    } else if (r == SQLITE_DONE) {
        rc = tr_error(TRUSTREG_ENOTFOUND, "%s: log tile %u/%llu is missing",
                      trustreg_db_path(s->db), level, (unsigned long long)idx);
    } else {
        rc = tr_store_sql_error(s->db, "reading a log tile");
    }
    sqlite3_reset(st);
    return rc;
}

/* Width of a tile from its byte length (levels 0..7 packed, see tlog/tiles.h). */
static int width_of(int bytes)
{
    static int count[257];
    if (count[256] == 0)
        for (int w = 0; w <= 256; w++) {
            int n = 0;
            for (int k = 0; k < 8; k++)
                n += w >> k;
            count[w] = n * 32;
        }
    int lo = 0, hi = 256; /* count is increasing in w */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (count[mid] < bytes)
            lo = mid + 1;
        else
            hi = mid;
    }
    return count[lo] == bytes ? lo : -1;
}

int tr_tlog_store_read_node(tr_tlog_store *s, unsigned level, uint64_t idx, unsigned k,
                            unsigned pos, uint8_t out[32])
{
    sqlite3_int64 rowid = tile_rowid(level, idx);
    if (!s->blob || s->blob_rowid != rowid) {
        int r;
        if (s->blob) {
            r = sqlite3_blob_reopen(s->blob, rowid);
            if (r != SQLITE_OK) {
                sqlite3_blob_close(s->blob);
                s->blob = NULL;
            }
        } else {
            r = sqlite3_blob_open(s->sql, "main", "tlog_tiles", "hashes", rowid, 0, &s->blob);
            if (r != SQLITE_OK && s->blob) {
                sqlite3_blob_close(s->blob);
                s->blob = NULL;
            }
        }
        s->blob_opens++;
        if (r != SQLITE_OK)
            return r == SQLITE_ERROR
                       ? tr_error(TRUSTREG_ESTORE, "%s: log tile %u/%llu is missing (run 'trustreg audit')",
                                  trustreg_db_path(s->db), level, (unsigned long long)idx)
                       : tr_store_sql_error(s->db, "reading a log tile");
        int w = width_of(sqlite3_blob_bytes(s->blob));
        if (w < 0) {
            sqlite3_blob_close(s->blob);
            s->blob = NULL;
            return tr_error(TRUSTREG_ESTORE,
                            "%s: log tile %u/%llu has a malformed length (run 'trustreg audit')",
                            trustreg_db_path(s->db), level, (unsigned long long)idx);
        }
        s->blob_rowid = rowid;
        s->blob_width = (unsigned)w;
    }
    unsigned w = s->blob_width;
    if (pos >= (w >> k))
        return tr_error(TRUSTREG_ESTORE,
                        "%s: log node at level %u of tile %u/%llu is missing (width %u; run "
                        "'trustreg audit')",
                        trustreg_db_path(s->db), k, level, (unsigned long long)idx, w);
    unsigned off = 0;
    for (unsigned j = 0; j < k; j++)
        off += w >> j;
    if (sqlite3_blob_read(s->blob, out, 32, (int)((off + pos) * 32)) != SQLITE_OK)
        return tr_store_sql_error(s->db, "reading a log node");
    return TRUSTREG_OK;
}

unsigned long tr_tlog_store_tile_opens(const tr_tlog_store *s)
{
    return s->blob_opens;
}

void tr_tlog_store_release(tr_tlog_store *s)
{
    if (s->blob) {
        sqlite3_blob_close(s->blob);
        s->blob = NULL;
    }
}

int tr_tlog_store_put_tile(tr_tlog_store *s, unsigned level, uint64_t idx, unsigned width,
                           const uint8_t *hashes, size_t len)
{
    sqlite3_stmt *st = s->put_tile;
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)idx);
    sqlite3_bind_int(st, 3, (int)width);
    sqlite3_bind_blob(st, 4, hashes, (int)len, SQLITE_STATIC);
    int rc = TRUSTREG_OK;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(s->db, "writing a log tile");
    sqlite3_reset(st);
    return rc;
}

int tr_tlog_store_each_tile(trustreg_db *db, tr_tlog_tile_cb cb, void *ctx)
{
    sqlite3_stmt *st;
    int rc = prep(db, "SELECT level, idx, width, hashes FROM tlog_tiles ORDER BY id", &st);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        rc = cb(ctx, (unsigned)sqlite3_column_int(st, 0),
                (uint64_t)sqlite3_column_int64(st, 1), (unsigned)sqlite3_column_int(st, 2),
                sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3));
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = tr_store_sql_error(db, "reading the log tiles");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_put_statement(tr_tlog_store *s, uint64_t idx, const void *data, size_t len)
{
    int rc;
    if (!s->put_statement &&
        (rc = prep(s->db, "INSERT INTO log_entries(idx, statement, appended_at) VALUES (?, ?, ?)",
                   &s->put_statement)))
        return rc;
    sqlite3_stmt *st = s->put_statement;
    char now[21];
    tr_time_now_rfc3339(now);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)idx);
    sqlite3_bind_blob64(st, 2, data, len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
    rc = TRUSTREG_OK;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(s->db, "storing a log statement");
    sqlite3_reset(st);
    return rc;
}

static int copy_blob(sqlite3_stmt *st, int col, unsigned char **data, size_t *len)
{
    int n = sqlite3_column_bytes(st, col);
    const void *p = sqlite3_column_blob(st, col);
    *data = malloc((size_t)n + 1);
    if (!*data)
        return tr_error_oom();
    if (n)
        memcpy(*data, p, (size_t)n);
    (*data)[n] = '\0';
    *len = (size_t)n;
    return TRUSTREG_OK;
}

int tr_tlog_store_get_statement(trustreg_db *db, uint64_t idx, unsigned char **data, size_t *len)
{
    sqlite3_stmt *st;
    *data = NULL;
    *len = 0;
    int rc = prep(db, "SELECT statement FROM log_entries WHERE idx = ?", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)idx);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        rc = copy_blob(st, 0, data, len);
    else if (r == SQLITE_DONE)
        rc = tr_error(TRUSTREG_ENOTFOUND, "no stored statement for log entry %llu",
                      (unsigned long long)idx);
    else
        rc = tr_store_sql_error(db, "reading a log statement");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_each_statement(trustreg_db *db, tr_tlog_row_cb cb, void *ctx)
{
    sqlite3_stmt *st;
    int rc = prep(db, "SELECT idx, statement FROM log_entries ORDER BY rowid", &st);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 idx = sqlite3_column_int64(st, 0);
        rc = cb(ctx, idx < 0 ? UINT64_MAX : (uint64_t)idx, sqlite3_column_blob(st, 1),
                (size_t)sqlite3_column_bytes(st, 1));
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = tr_store_sql_error(db, "reading the log statements");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_meta_get(trustreg_db *db, const char *key, char **value)
{
    sqlite3_stmt *st;
    *value = NULL;
    int rc = prep(db, "SELECT value FROM tlog_meta WHERE key = ?", &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *value = tr_strdup((const char *)sqlite3_column_text(st, 0));
        if (!*value)
            rc = tr_error_oom();
    } else if (r != SQLITE_DONE) {
        rc = tr_store_sql_error(db, "reading the log settings");
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_meta_set(trustreg_db *db, const char *key, const char *value)
{
    sqlite3_stmt *st;
    int rc = prep(db,
                  "INSERT INTO tlog_meta(key, value) VALUES (?, ?)"
                  " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                  &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(db, "writing the log settings");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_put_checkpoint(trustreg_db *db, uint64_t size, const uint8_t root[32],
                                 const char *note)
{
    sqlite3_stmt *st;
    int rc = prep(db,
                  "INSERT INTO tlog_checkpoints(size, root, note, signed_at) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT(size) DO UPDATE SET note = excluded.note",
                  &st);
    if (rc)
        return rc;
    char now[21];
    tr_time_now_rfc3339(now);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    sqlite3_bind_blob(st, 2, root, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(db, "storing a checkpoint");
    sqlite3_finalize(st);
    return rc;
}

static int read_checkpoint(sqlite3_stmt *st, tr_tlog_checkpoint_row *row)
{
    memset(row, 0, sizeof *row);
    row->size = (uint64_t)sqlite3_column_int64(st, 0);
    if (sqlite3_column_bytes(st, 1) == 32)
        memcpy(row->root, sqlite3_column_blob(st, 1), 32);
    row->note = tr_strdup((const char *)sqlite3_column_text(st, 2));
    const unsigned char *at = sqlite3_column_text(st, 3);
    snprintf(row->signed_at, sizeof row->signed_at, "%s", at ? (const char *)at : "");
    return row->note ? TRUSTREG_OK : tr_error_oom();
}

int tr_tlog_store_get_checkpoint(trustreg_db *db, uint64_t size, tr_tlog_checkpoint_row *row)
{
    sqlite3_stmt *st;
    memset(row, 0, sizeof *row);
    int rc = prep(db,
                  size == UINT64_MAX
                      ? "SELECT size, root, note, signed_at FROM tlog_checkpoints"
                        " ORDER BY size DESC LIMIT 1"
                      : "SELECT size, root, note, signed_at FROM tlog_checkpoints WHERE size = ?",
                  &st);
    if (rc)
        return rc;
    if (size != UINT64_MAX)
        sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        rc = read_checkpoint(st, row);
    else if (r == SQLITE_DONE)
        rc = size == UINT64_MAX
                 ? tr_error(TRUSTREG_ENOTFOUND,
                            "the log has no signed checkpoint yet (run 'trustreg log checkpoint')")
                 : tr_error(TRUSTREG_ENOTFOUND, "no signed checkpoint of size %llu",
                            (unsigned long long)size);
    else
        rc = tr_store_sql_error(db, "reading a checkpoint");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_each_checkpoint(trustreg_db *db, tr_tlog_checkpoint_cb cb, void *ctx)
{
    sqlite3_stmt *st;
    int rc = prep(db, "SELECT size, root, note, signed_at FROM tlog_checkpoints ORDER BY size",
                  &st);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        tr_tlog_checkpoint_row row;
        rc = read_checkpoint(st, &row);
        if (!rc)
            rc = cb(ctx, &row);
        tr_tlog_checkpoint_row_clear(&row);
        if (rc)
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = tr_store_sql_error(db, "reading the checkpoints");
    sqlite3_finalize(st);
    return rc;
}

void tr_tlog_checkpoint_row_clear(tr_tlog_checkpoint_row *row)
{
    free(row->note);
    row->note = NULL;
}

int tr_tlog_store_witness_add(trustreg_db *db, const char *origin, const char *vkey)
{
    sqlite3_stmt *st;
    int rc = prep(db,
                  "INSERT INTO tlog_witness_logs(origin, vkey) VALUES (?, ?)"
                  " ON CONFLICT(origin) DO UPDATE SET vkey = excluded.vkey",
                  &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, vkey, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(db, "recording a followed log");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_witness_get(trustreg_db *db, const char *origin, tr_tlog_witness_row *row)
{
    sqlite3_stmt *st;
    memset(row, 0, sizeof *row);
    int rc = prep(db,
                  "SELECT origin, vkey, size, root, checkpoint FROM tlog_witness_logs"
                  " WHERE origin = ?",
                  &st);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        row->origin = tr_strdup((const char *)sqlite3_column_text(st, 0));
        row->vkey = tr_strdup((const char *)sqlite3_column_text(st, 1));
        row->size = (uint64_t)sqlite3_column_int64(st, 2);
        if (sqlite3_column_bytes(st, 3) == 32) {
            memcpy(row->root, sqlite3_column_blob(st, 3), 32);
            row->has_root = 1;
        }
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            row->checkpoint = tr_strdup((const char *)sqlite3_column_text(st, 4));
        if (!row->origin || !row->vkey)
            rc = tr_error_oom();
    } else if (r == SQLITE_DONE) {
        rc = tr_error(TRUSTREG_ENOTFOUND,
                      "this witness does not follow a log with origin \"%s\" (see 'trustreg log "
                      "witness follow')",
                      origin);
    } else {
        rc = tr_store_sql_error(db, "reading a followed log");
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_witness_update(trustreg_db *db, const char *origin, uint64_t size,
                                 const uint8_t root[32], const char *checkpoint)
{
    sqlite3_stmt *st;
    int rc = prep(db,
                  "UPDATE tlog_witness_logs SET size = ?, root = ?, checkpoint = ?,"
                  " updated_at = ? WHERE origin = ?",
                  &st);
    if (rc)
        return rc;
    char now[21];
    tr_time_now_rfc3339(now);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    sqlite3_bind_blob(st, 2, root, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, checkpoint, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, origin, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(db, "recording a cosigned checkpoint");
    sqlite3_finalize(st);
    return rc;
}

int tr_tlog_store_witness_refusal(trustreg_db *db, const char *origin, const char *reason,
                                  const void *request, size_t len)
{
    sqlite3_stmt *st;
    int rc = prep(db,
                  "INSERT INTO tlog_witness_refusals(origin, reason, request, at)"
                  " VALUES (?, ?, ?, ?)",
                  &st);
    if (rc)
        return rc;
    char now[21];
    tr_time_now_rfc3339(now);
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 3, request, len, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = tr_store_sql_error(db, "recording a refused checkpoint");
    sqlite3_finalize(st);
    return rc;
}

void tr_tlog_witness_row_clear(tr_tlog_witness_row *row)
{
    free(row->origin);
    free(row->vkey);
    free(row->checkpoint);
    memset(row, 0, sizeof *row);
}
