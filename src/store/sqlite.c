/*
 * store/sqlite.c - the SQLite backend of the storage interface (store.h).
 *
 * One connection per trustreg_db, WAL journal, foreign keys on, synchronous=FULL so that a
 * committed transaction survives power loss. Statements used in bulk (document and control
 * inserts) are prepared once per connection. Schema migrations run on open (schema.c).
 */
#include "store/schema.h"
#include "store/store.h"
#include "util/error.h"
#include "util/pack.h"
#include "util/file.h"
#include "util/mem.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/timeutil.h"

typedef struct tr_sqlite {
    sqlite3 *db;
    char *path;
    int readonly;
    sqlite3_stmt *ins_doc;
    sqlite3_stmt *ins_group;
    sqlite3_stmt *ins_control;
    sqlite3_stmt *ins_fts;
} tr_sqlite;

static int sql_error(tr_sqlite *s, const char *what)
{
    int ec = sqlite3_errcode(s->db);
    if (ec == SQLITE_BUSY || ec == SQLITE_LOCKED)
        return tr_error(TRUSTREG_ESTORE, "%s: %s: the database is locked by another process; retry",
                        s->path, what);
    if (ec == SQLITE_READONLY)
        return tr_error(TRUSTREG_ESTORE, "%s: %s: the database is read-only", s->path, what);
    return tr_error(TRUSTREG_ESTORE, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec(tr_sqlite *s, const char *sql, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = tr_error(TRUSTREG_ESTORE, "%s: %s: %s", s->path, what,
                          msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return rc;
    }
    return TRUSTREG_OK;
}

static int prepare(tr_sqlite *s, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return sql_error(s, "preparing a statement");
    return TRUSTREG_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return tr_strdup(t ? (const char *)t : "");
}

static void sqlite_close(void *impl)
{
    tr_sqlite *s = impl;
    if (!s)
        return;
    sqlite3_finalize(s->ins_doc);
    sqlite3_finalize(s->ins_group);
    sqlite3_finalize(s->ins_control);
    sqlite3_finalize(s->ins_fts);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static int read_version(tr_sqlite *s, int *version)
{
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT coalesce(max(version), 0) FROM schema_version", &st);
    if (rc)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = sql_error(s, "reading the schema version");
        sqlite3_finalize(st);
        return rc;
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return TRUSTREG_OK;
}

static int sqlite_schema_version(void *impl, int *version)
{
    return read_version(impl, version);
}

static int migrate(tr_sqlite *s)
{
    int rc;
    int have = 0;
    if (!s->readonly) {
        rc = exec(s, "CREATE TABLE IF NOT EXISTS schema_version ("
                     " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                     " applied_at TEXT NOT NULL)",
                  "creating the schema table");
        if (rc)
            return rc;
    }
    if ((rc = read_version(s, &have)))
        return rc;
    int current = trustreg_db_schema_version_current();
    if (have > current)
        return tr_error(TRUSTREG_ESTORE,
                        "%s: database schema version %d is newer than this trustreg supports "
                        "(%d); upgrade trustreg",
                        s->path, have, current);
    if (have == current)
        return TRUSTREG_OK;
    if (s->readonly)
        return tr_error(TRUSTREG_ESTORE,
                        "%s: database schema version %d is older than %d; open it read-write once "
                        "to migrate",
                        s->path, have, current);
    for (int i = 0; i < tr_sqlite_migration_count; i++) {
        const tr_migration *m = &tr_sqlite_migrations[i];
        if (m->version <= have)
            continue;
        if ((rc = exec(s, "BEGIN IMMEDIATE", "starting a migration")))
            return rc;
        rc = exec(s, m->sql, m->description);
        if (!rc) {
            sqlite3_stmt *st;
            char now[21];
            tr_time_now_rfc3339(now);
            rc = prepare(s, "INSERT INTO schema_version(version, description, applied_at) "
                            "VALUES (?, ?, ?)",
                         &st);
            if (!rc) {
                sqlite3_bind_int(st, 1, m->version);
                bind_text(st, 2, m->description);
                bind_text(st, 3, now);
                if (sqlite3_step(st) != SQLITE_DONE)
                    rc = sql_error(s, "recording a migration");
                sqlite3_finalize(st);
            }
        }
        if (!rc)
            rc = exec(s, "COMMIT", "committing a migration");
        if (rc) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return TRUSTREG_OK;
}

static int sqlite_begin(void *impl)
{
    return exec(impl, "BEGIN IMMEDIATE", "starting a transaction");
}

static int sqlite_commit(void *impl)
{
    return exec(impl, "COMMIT", "committing");
}

static int sqlite_rollback(void *impl)
{
    tr_sqlite *s = impl;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return TRUSTREG_OK;
}

static int sqlite_doc_find_sha(void *impl, const char *sha256, int64_t *id)
{
    tr_sqlite *s = impl;
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT id FROM documents WHERE sha256 = ?", &st);
    if (rc)
        return rc;
    bind_text(st, 1, sha256);
    *id = 0;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_DONE)
        rc = sql_error(s, "looking up a document");
    sqlite3_finalize(st);
    return rc;
}

static int sqlite_doc_insert(void *impl, const tr_doc_row *row, int64_t *id)
{
    tr_sqlite *s = impl;
    int rc;
    /* Bodies are stored as one zstd frame (7-8x smaller for OSCAL JSON: less to write to the
     * WAL and again at the checkpoint), unless that does not make them smaller. */
    const unsigned char *body = row->packed;
    size_t body_len = row->packed_len;
    unsigned char *packed = NULL;
    if (!body && row->body_len &&
        (rc = tr_pack(row->body, row->body_len, &packed, &body_len)))
        return rc;
    if (packed)
        body = packed;
    const char *encoding = "zstd";
    if (!body || body_len >= row->body_len) {
        body = row->body;
        body_len = row->body_len;
        encoding = "identity";
    }
    if (!s->ins_doc &&
        (rc = prepare(s,
                      "INSERT INTO documents(uuid, model, title, version, oscal_version, sha256,"
                      " source, imported_at, size, controls, groups, body_encoding, body)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      &s->ins_doc))) {
        free(packed);
        return rc;
    }
    sqlite3_stmt *st = s->ins_doc;
    char now[21];
    tr_time_now_rfc3339(now);
    bind_text(st, 1, row->uuid);
    bind_text(st, 2, row->model);
    bind_text(st, 3, row->title);
    bind_text(st, 4, row->version);
    bind_text(st, 5, row->oscal_version);
    bind_text(st, 6, row->sha256);
    bind_text(st, 7, row->source);
    bind_text(st, 8, now);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)row->body_len);
    sqlite3_bind_int64(st, 10, row->controls);
    sqlite3_bind_int64(st, 11, row->groups);
    bind_text(st, 12, encoding);
    /* The body goes in through incremental blob I/O: binding a multi-megabyte blob makes
     * SQLite build the whole record in memory first, which costs more than writing it. The row
     * is complete at insert: any later UPDATE would rewrite the whole record, body included. */
    sqlite3_bind_zeroblob64(st, 13, body_len);
    rc = TRUSTREG_OK;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sql_error(s, "storing a document");
    else
        *id = sqlite3_last_insert_rowid(s->db);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!rc && body_len) {
        sqlite3_blob *blob = NULL;
        if (sqlite3_blob_open(s->db, "main", "documents", "body", *id, 1, &blob) != SQLITE_OK)
            rc = sql_error(s, "opening a document body");
        else if (body_len > INT_MAX ||
                 sqlite3_blob_write(blob, body, (int)body_len, 0) != SQLITE_OK)
            rc = sql_error(s, "writing a document body");
        sqlite3_blob_close(blob);
    }
    free(packed);
    return rc;
}

static int sqlite_doc_counts(void *impl, int64_t id, long *controls, long *groups)
{
    tr_sqlite *s = impl;
    sqlite3_stmt *st;
    int rc = prepare(s, "SELECT controls, groups FROM documents WHERE id = ?", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    *controls = *groups = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *controls = (long)sqlite3_column_int64(st, 0);
        *groups = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return rc;
}

static int sqlite_doc_body(void *impl, const char *key, unsigned char **body, size_t *len)
{
    tr_sqlite *s = impl;
    sqlite3_stmt *st;
    *body = NULL;
    *len = 0;
    /* pick the row in a subquery so that the sort never carries the (large) body */
    int rc = prepare(s,
                     "SELECT body, body_encoding, size, sha256 FROM documents WHERE id ="
                     " (SELECT id FROM documents"
                     " WHERE uuid = ?1 OR sha256 = lower(?1)"
                     " OR (?1 GLOB '[0-9]*' AND id = CAST(?1 AS INTEGER))"
                     " ORDER BY (sha256 = lower(?1)) DESC, id DESC LIMIT 1)",
                     &st);
    if (rc)
        return rc;
    bind_text(st, 1, key);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        const void *p = sqlite3_column_blob(st, 0);
        const char *encoding = (const char *)sqlite3_column_text(st, 1);
        sqlite3_int64 size = sqlite3_column_int64(st, 2);
        char what[96];
        snprintf(what, sizeof what, "document %.64s", (const char *)sqlite3_column_text(st, 3));
        if (encoding && strcmp(encoding, "zstd") == 0) {
            if (size < 0)
                rc = tr_error(TRUSTREG_ESTORE, "%s: negative size", what);
            else if ((rc = tr_unpack(p, (size_t)n, (size_t)size, what, body)) == TRUSTREG_OK)
                *len = (size_t)size;
        } else if (!(*body = malloc((size_t)n + 1))) {
            rc = tr_error_oom();
        } else {
            if (n)
                memcpy(*body, p, (size_t)n);
            (*body)[n] = '\0';
            *len = (size_t)n;
        }
    } else if (r == SQLITE_DONE) {
        rc = tr_error(TRUSTREG_ENOTFOUND,
                      "no document with uuid, SHA-256 or id \"%s\" (see 'trustreg list')", key);
    } else {
        rc = sql_error(s, "reading a document");
    }
    sqlite3_finalize(st);
    return rc;
}

static int sqlite_doc_list(void *impl, const char *model, trustreg_doc_info **docs, size_t *n)
{
    tr_sqlite *s = impl;
    sqlite3_stmt *st;
    *docs = NULL;
    *n = 0;
    int rc = prepare(s,
                     "SELECT id, model, uuid, title, version, oscal_version, sha256, source,"
                     " imported_at, size, controls FROM documents"
                     " WHERE ?1 IS NULL OR model = ?1 ORDER BY id DESC",
                     &st);
    if (rc)
        return rc;
    if (model)
        bind_text(st, 1, model);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            trustreg_doc_info *p = realloc(*docs, ncap * sizeof *p);
            if (!p) {
                rc = tr_error_oom();
                break;
            }
            *docs = p;
            cap = ncap;
        }
        trustreg_doc_info *d = &(*docs)[*n];
        memset(d, 0, sizeof *d);
        d->id = sqlite3_column_int64(st, 0);
        d->model = trustreg_oscal_model_from_name((const char *)sqlite3_column_text(st, 1));
        d->uuid = col_dup(st, 2);
        d->title = col_dup(st, 3);
        d->version = col_dup(st, 4);
        d->oscal_version = col_dup(st, 5);
        const unsigned char *sha = sqlite3_column_text(st, 6);
        snprintf(d->sha256, sizeof d->sha256, "%s", sha ? (const char *)sha : "");
        d->source = col_dup(st, 7);
        d->imported_at = col_dup(st, 8);
        d->size = sqlite3_column_int64(st, 9);
        d->controls = (long)sqlite3_column_int64(st, 10);
        (*n)++;
        if (!d->uuid || !d->title || !d->version || !d->oscal_version || !d->source ||
            !d->imported_at) {
            rc = tr_error_oom();
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = sql_error(s, "listing documents");
    sqlite3_finalize(st);
    if (rc) {
        trustreg_doc_infos_free(*docs, *n);
        *docs = NULL;
        *n = 0;
    }
    return rc;
}

static int sqlite_group_insert(void *impl, int64_t doc_id, const tr_group_row *row)
{
    tr_sqlite *s = impl;
    int rc;
    if (!s->ins_group &&
        (rc = prepare(s,
                      "INSERT INTO catalog_groups(doc_id, group_id, parent_path, path, title, ord)"
                      " VALUES (?,?,?,?,?,?)",
                      &s->ins_group)))
        return rc;
    sqlite3_stmt *st = s->ins_group;
    sqlite3_bind_int64(st, 1, doc_id);
    bind_text(st, 2, row->group_id);
    bind_text(st, 3, row->parent_path);
    bind_text(st, 4, row->path);
    bind_text(st, 5, row->title);
    sqlite3_bind_int64(st, 6, row->ord);
    rc = TRUSTREG_OK;
    if (sqlite3_step(st) != SQLITE_DONE) {
        if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
            rc = tr_error(TRUSTREG_EINPUT, "group id \"%s\" appears twice at the same level",
                          row->group_id);
        else
            rc = sql_error(s, "storing a group");
    }
    sqlite3_reset(st);
    return rc;
}

static int sqlite_control_insert(void *impl, int64_t doc_id, const tr_control_row *row)
{
    tr_sqlite *s = impl;
    int rc;
    if (!s->ins_control &&
        (rc = prepare(s,
                      "INSERT INTO controls(doc_id, control_id, parent_id, group_path, group_title,"
                      " label, title, class, withdrawn, depth, ord, statement, guidance, params)"
                      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      &s->ins_control)))
        return rc;
    if (!s->ins_fts &&
        (rc = prepare(s,
                      "INSERT INTO controls_fts(rowid, title, statement, guidance)"
                      " VALUES (?,?,?,?)",
                      &s->ins_fts)))
        return rc;
    sqlite3_stmt *st = s->ins_control;
    sqlite3_bind_int64(st, 1, doc_id);
    bind_text(st, 2, row->control_id);
    bind_text(st, 3, row->parent_id);
    bind_text(st, 4, row->group_path);
    bind_text(st, 5, row->group_title);
    bind_text(st, 6, row->label);
    bind_text(st, 7, row->title);
    bind_text(st, 8, row->class_);
    sqlite3_bind_int(st, 9, row->withdrawn);
    sqlite3_bind_int(st, 10, row->depth);
    sqlite3_bind_int64(st, 11, row->ord);
    bind_text(st, 12, row->statement);
    bind_text(st, 13, row->guidance);
    bind_text(st, 14, row->params_json);
    rc = TRUSTREG_OK;
    if (sqlite3_step(st) != SQLITE_DONE) {
        if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
            rc = tr_error(TRUSTREG_EINPUT, "control id \"%s\" appears more than once",
                          row->control_id);
        else
            rc = sql_error(s, "storing a control");
    }
    sqlite3_reset(st);
    if (rc)
        return rc;
    sqlite3_int64 rowid = sqlite3_last_insert_rowid(s->db);
    st = s->ins_fts;
    sqlite3_bind_int64(st, 1, rowid);
    bind_text(st, 2, row->title);
    bind_text(st, 3, row->statement);
    bind_text(st, 4, row->guidance);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sql_error(s, "indexing a control");
    sqlite3_reset(st);
    return rc;
}

static int find_catalog(tr_sqlite *s, const char *uuid, int64_t *doc_id, char **title)
{
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT id, title FROM documents WHERE uuid = ? AND model = 'catalog'"
                     " ORDER BY id DESC LIMIT 1",
                     &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *doc_id = sqlite3_column_int64(st, 0);
        *title = col_dup(st, 1);
        if (!*title)
            rc = tr_error_oom();
    } else if (r == SQLITE_DONE) {
        rc = tr_error(TRUSTREG_ENOTFOUND, "no catalog with uuid %s (see 'trustreg catalog list')",
                      uuid);
    } else {
        rc = sql_error(s, "looking up a catalog");
    }
    sqlite3_finalize(st);
    return rc;
}

static int load_params(trustreg_control *c, const char *params_json)
{
    json_error_t jerr;
    json_t *arr = json_loads(params_json ? params_json : "[]", 0, &jerr);
    if (!arr || !json_is_array(arr)) {
        json_decref(arr);
        return tr_error(TRUSTREG_ESTORE, "stored parameters of %s are not valid JSON", c->id);
    }
    size_t n = json_array_size(arr);
    c->params = calloc(n ? n : 1, sizeof *c->params);
    if (!c->params) {
        json_decref(arr);
        return tr_error_oom();
    }
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(arr, i);
        c->params[i].id = tr_strdup(json_string_value(json_object_get(p, "id")));
        c->params[i].text = tr_strdup(json_string_value(json_object_get(p, "text")));
        c->n_params++;
        if (!c->params[i].id || !c->params[i].text) {
            json_decref(arr);
            return tr_error_oom();
        }
    }
    json_decref(arr);
    return TRUSTREG_OK;
}

static int load_enhancements(tr_sqlite *s, int64_t doc_id, trustreg_control *c)
{
    sqlite3_stmt *st;
    int rc = prepare(s,
                     "SELECT control_id, label, title, withdrawn FROM controls"
                     " WHERE doc_id = ? AND parent_id = ? ORDER BY ord",
                     &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, doc_id);
    bind_text(st, 2, c->id);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->n_enhancements == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            trustreg_control_ref *p = realloc(c->enhancements, ncap * sizeof *p);
            if (!p) {
                rc = tr_error_oom();
                break;
            }
            c->enhancements = p;
            cap = ncap;
        }
        trustreg_control_ref *e = &c->enhancements[c->n_enhancements++];
        e->id = col_dup(st, 0);
        e->label = col_dup(st, 1);
        e->title = col_dup(st, 2);
        e->withdrawn = sqlite3_column_int(st, 3);
        if (!e->id || !e->label || !e->title) {
            rc = tr_error_oom();
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = sql_error(s, "listing enhancements");
    sqlite3_finalize(st);
    return rc;
}

static int sqlite_control_get(void *impl, const char *catalog_uuid, const char *control_id,
                              trustreg_control **out)
{
    tr_sqlite *s = impl;
    int64_t doc_id = 0;
    char *cat_title = NULL;
    *out = NULL;
    int rc = find_catalog(s, catalog_uuid, &doc_id, &cat_title);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    rc = prepare(s,
                 "SELECT control_id, label, title, class, parent_id, group_path, group_title,"
                 " withdrawn, ord, statement, guidance, params FROM controls"
                 " WHERE doc_id = ?1 AND (control_id = ?2 COLLATE NOCASE OR label = ?2 COLLATE "
                 "NOCASE) ORDER BY (control_id = ?2) DESC, (control_id = ?2 COLLATE NOCASE) DESC,"
                 " ord LIMIT 1",
                 &st);
    if (rc) {
        free(cat_title);
        return rc;
    }
    sqlite3_bind_int64(st, 1, doc_id);
    bind_text(st, 2, control_id);
    int r = sqlite3_step(st);
    if (r != SQLITE_ROW) {
        if (r == SQLITE_DONE)
            rc = tr_error(TRUSTREG_ENOTFOUND, "catalog %s has no control \"%s\"", catalog_uuid,
                          control_id);
        else
            rc = sql_error(s, "reading a control");
        sqlite3_finalize(st);
        free(cat_title);
        return rc;
    }
    trustreg_control *c = calloc(1, sizeof *c);
    if (!c) {
        sqlite3_finalize(st);
        free(cat_title);
        return tr_error_oom();
    }
    c->catalog_uuid = tr_strdup(catalog_uuid);
    c->catalog_title = cat_title;
    c->id = col_dup(st, 0);
    c->label = col_dup(st, 1);
    c->title = col_dup(st, 2);
    c->class_ = col_dup(st, 3);
    c->parent = col_dup(st, 4);
    c->group_path = col_dup(st, 5);
    c->group_title = col_dup(st, 6);
    c->withdrawn = sqlite3_column_int(st, 7);
    c->order = (long)sqlite3_column_int64(st, 8);
    c->statement = col_dup(st, 9);
    c->guidance = col_dup(st, 10);
    const unsigned char *params = sqlite3_column_text(st, 11);
    if (!c->catalog_uuid || !c->id || !c->label || !c->title || !c->class_ || !c->parent ||
        !c->group_path || !c->group_title || !c->statement || !c->guidance)
        rc = tr_error_oom();
    if (!rc)
        rc = load_params(c, (const char *)params);
    sqlite3_finalize(st);
    if (!rc)
        rc = load_enhancements(s, doc_id, c);
    if (rc) {
        trustreg_control_free(c);
        return rc;
    }
    *out = c;
    return TRUSTREG_OK;
}

static int sqlite_search(void *impl, const char *fts_query, const trustreg_search_opts *opts,
                         trustreg_search_hit **hits, size_t *n)
{
    tr_sqlite *s = impl;
    sqlite3_stmt *st;
    *hits = NULL;
    *n = 0;
    int rc = prepare(
        s,
        "SELECT d.uuid, d.title, c.control_id, c.label, c.title, c.withdrawn,"
        " snippet(controls_fts, -1, '[', ']', '...', 16),"
        " bm25(controls_fts, 10.0, 3.0, 1.0) AS score"
        " FROM controls_fts JOIN controls c ON c.id = controls_fts.rowid"
        " JOIN documents d ON d.id = c.doc_id"
        " WHERE controls_fts MATCH ?1 AND (?2 IS NULL OR d.uuid = ?2) AND (?3 OR c.withdrawn = 0)"
        " AND d.id IN (SELECT max(id) FROM documents WHERE model = 'catalog' GROUP BY uuid)"
        " ORDER BY score, c.ord LIMIT ?4",
        &st);
    if (rc)
        return rc;
    bind_text(st, 1, fts_query);
    if (opts->catalog_uuid)
        bind_text(st, 2, opts->catalog_uuid);
    sqlite3_bind_int(st, 3, opts->include_withdrawn ? 1 : 0);
    sqlite3_bind_int(st, 4, opts->limit > 0 ? opts->limit : 20);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            trustreg_search_hit *p = realloc(*hits, ncap * sizeof *p);
            if (!p) {
                rc = tr_error_oom();
                break;
            }
            *hits = p;
            cap = ncap;
        }
        trustreg_search_hit *h = &(*hits)[(*n)++];
        h->catalog_uuid = col_dup(st, 0);
        h->catalog_title = col_dup(st, 1);
        h->id = col_dup(st, 2);
        h->label = col_dup(st, 3);
        h->title = col_dup(st, 4);
        h->withdrawn = sqlite3_column_int(st, 5);
        h->snippet = col_dup(st, 6);
        h->score = sqlite3_column_double(st, 7);
        for (char *q = h->snippet; q && *q; q++)
            if (*q == '\n' || *q == '\r' || *q == '\t')
                *q = ' ';
        if (!h->catalog_uuid || !h->catalog_title || !h->id || !h->label || !h->title ||
            !h->snippet) {
            rc = tr_error_oom();
            break;
        }
    }
    if (!rc && r != SQLITE_DONE) {
        /* a plain SQLITE_ERROR while stepping a MATCH is the query's fault (FTS5 syntax) */
        const char *msg = sqlite3_errmsg(s->db);
        if (sqlite3_errcode(s->db) == SQLITE_ERROR)
            rc = tr_error(TRUSTREG_EINPUT, "invalid search query \"%s\": %s", fts_query, msg);
        else
            rc = sql_error(s, "searching");
    }
    sqlite3_finalize(st);
    if (rc) {
        trustreg_search_hits_free(*hits, *n);
        *hits = NULL;
        *n = 0;
    }
    return rc;
}

struct sqlite3 *tr_store_sqlite(trustreg_db *db)
{
    if (!db || strcmp(db->ops->name, "sqlite") != 0)
        return NULL;
    return ((tr_sqlite *)db->impl)->db;
}

int tr_store_sql_error(trustreg_db *db, const char *what)
{
    return sql_error((tr_sqlite *)db->impl, what);
}

static const tr_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .doc_find_sha = sqlite_doc_find_sha,
    .doc_insert = sqlite_doc_insert,
    .doc_body = sqlite_doc_body,
    .doc_list = sqlite_doc_list,
    .doc_counts = sqlite_doc_counts,
    .group_insert = sqlite_group_insert,
    .control_insert = sqlite_control_insert,
    .control_get = sqlite_control_get,
    .search = sqlite_search,
};

int tr_sqlite_open(const char *path, unsigned flags, const tr_store_ops **ops, void **impl)
{
    struct stat stbuf;
    int exists = stat(path, &stbuf) == 0;
    if (!exists && !(flags & TRUSTREG_DB_CREATE))
        return tr_error(TRUSTREG_ENOTFOUND,
                        "no database at %s; create one with 'trustreg init' or 'trustreg import'",
                        path);
    if (exists && S_ISDIR(stbuf.st_mode))
        return tr_error(TRUSTREG_ESTORE, "%s is a directory, expected a database file", path);
    if (!exists) {
        int rc = tr_file_mkdir_parent(path);
        if (rc)
            return rc;
    }
    tr_sqlite *s = calloc(1, sizeof *s);
    if (!s)
        return tr_error_oom();
    s->path = tr_strdup(path);
    s->readonly = (flags & TRUSTREG_DB_READONLY) != 0;
    int oflags = s->readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!s->path || sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int rc = s->db ? tr_error(TRUSTREG_ESTORE, "%s: cannot open database: %s", path,
                                  sqlite3_errmsg(s->db))
                       : tr_error_oom();
        sqlite_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    int rc = exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys");
    if (!rc && !s->readonly)
        /* page_size only applies to a new database (before WAL is on); a large page cache
         * keeps a big import from spilling pages to the WAL mid-transaction and reading them
         * back; the WAL is checkpointed in larger steps than SQLite's default. */
        rc = exec(s,
                  "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;"
                  " PRAGMA synchronous = FULL; PRAGMA cache_size = -131072;"
                  " PRAGMA wal_autocheckpoint = 4096",
                  "configuring the database");
    if (!rc)
        rc = migrate(s);
    if (rc) {
        sqlite_close(s);
        return rc;
    }
    *ops = &sqlite_ops;
    *impl = s;
    return TRUSTREG_OK;
}
