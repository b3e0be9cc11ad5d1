/*
 * store/sqlite_map.c - SQL of the framework mappings (declared in store/map_store.h): the
 * migration, bulk inserts with statements prepared once per import, reading a set back for
 * export, and the indexed edge lookups the transitive queries walk.
 */
#include "store/map_store.h"
#include "store/store.h"
#include "trustreg/map.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/timeutil.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

const char tr_map_schema_sql[] =
    "CREATE TABLE map_frameworks ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  catalog_uuid TEXT NOT NULL DEFAULT '',"
    "  href TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX map_frameworks_uuid ON map_frameworks(catalog_uuid);"
    "CREATE TABLE map_sets ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  version TEXT NOT NULL DEFAULT '',"
    "  oscal_version TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL DEFAULT '',"
    "  sha256 TEXT NOT NULL UNIQUE,"
    "  imported_at TEXT NOT NULL,"
    "  head TEXT"
    ");"
    "CREATE INDEX map_sets_uuid ON map_sets(uuid, id);"
    "CREATE TABLE map_mappings ("
    "  id INTEGER PRIMARY KEY,"
    "  set_id INTEGER NOT NULL REFERENCES map_sets(id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL,"
    "  source_fw INTEGER NOT NULL REFERENCES map_frameworks(id),"
    "  target_fw INTEGER NOT NULL REFERENCES map_frameworks(id),"
    "  body TEXT"
    ");"
    "CREATE INDEX map_mappings_set ON map_mappings(set_id, ord);"
    "CREATE TABLE map_maps ("
    "  id INTEGER PRIMARY KEY,"
    "  mapping_id INTEGER NOT NULL REFERENCES map_mappings(id) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL,"
    "  uuid TEXT NOT NULL,"
    "  relationship TEXT NOT NULL CHECK (relationship IN ('equivalent-to', 'subset-of',"
    "    'superset-of', 'intersects-with', 'no-relationship', 'related')),"
    "  token TEXT NOT NULL,"
    "  strength INTEGER CHECK (strength IS NULL OR strength BETWEEN 0 AND 10),"
    "  rationale TEXT NOT NULL DEFAULT '',"
    "  body TEXT"
    ");"
    "CREATE INDEX map_maps_mapping ON map_maps(mapping_id, ord);"
    "CREATE TABLE map_items ("
    "  map_id INTEGER NOT NULL REFERENCES map_maps(id) ON DELETE CASCADE,"
    "  side INTEGER NOT NULL CHECK (side IN (0, 1)),"
    "  ord INTEGER NOT NULL,"
    "  control TEXT NOT NULL,"
    "  PRIMARY KEY (map_id, side, ord)"
    ") WITHOUT ROWID;"
    "CREATE TABLE map_edges ("
    "  map_id INTEGER NOT NULL REFERENCES map_maps(id) ON DELETE CASCADE,"
    "  src_fw INTEGER NOT NULL,"
    "  src_key TEXT NOT NULL,"
    "  src_ctl TEXT NOT NULL,"
    "  dst_fw INTEGER NOT NULL,"
    "  dst_key TEXT NOT NULL,"
    "  dst_ctl TEXT NOT NULL,"
    "  rel INTEGER NOT NULL CHECK (rel BETWEEN 0 AND 31),"
    "  grp INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX map_edges_src ON map_edges(src_fw, src_key);"
    "CREATE INDEX map_edges_dst ON map_edges(dst_fw, dst_key);"
    /* The composition of base relationships (bit numbers 0..4 as in trustreg/map.h), one row per
     * possible result, so that SQL users can compose relationships too (bench/mapcov.sh). */
    "CREATE TABLE map_rel_compose (a INTEGER NOT NULL, b INTEGER NOT NULL, c INTEGER NOT NULL,"
    "  PRIMARY KEY (a, b, c)) WITHOUT ROWID;"
    "INSERT INTO map_rel_compose VALUES"
    " (0,0,0),(0,1,1),(0,2,2),(0,3,3),(0,4,4),"
    " (1,0,1),(1,1,1),(1,2,0),(1,2,1),(1,2,2),(1,2,3),(1,2,4),(1,3,1),(1,3,3),(1,3,4),(1,4,4),"
    " (2,0,2),(2,1,0),(2,1,1),(2,1,2),(2,1,3),(2,2,2),(2,3,2),(2,3,3),(2,4,2),(2,4,3),(2,4,4),"
    " (3,0,3),(3,1,1),(3,1,3),(3,2,2),(3,2,3),(3,2,4),(3,3,0),(3,3,1),(3,3,2),(3,3,3),(3,3,4),"
    " (3,4,2),(3,4,3),(3,4,4),"
    " (4,0,4),(4,1,1),(4,1,3),(4,1,4),(4,2,4),(4,3,1),(4,3,3),(4,3,4),"
    " (4,4,0),(4,4,1),(4,4,2),(4,4,3),(4,4,4);";

enum { ST_MAPPING, ST_MAP, ST_ITEM, ST_EDGE, ST_EDGES_SRC, ST_EDGES_DST, ST_COUNT };

struct tr_map_store {
    trustreg_db *db;
    sqlite3 *sq;
    sqlite3_stmt *st[ST_COUNT];
};

static int fail(tr_map_store *s, const char *what)
{
    return tr_store_sql_error(s->db, what);
}

static int prep(tr_map_store *s, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(s->sq, sql, -1, st, NULL) != SQLITE_OK)
        return fail(s, "preparing a mapping statement");
    return TRUSTREG_OK;
}

/* A cached statement, prepared on first use. */
static int cached(tr_map_store *s, int which, const char *sql, sqlite3_stmt **out)
{
    if (!s->st[which]) {
        int rc = prep(s, sql, &s->st[which]);
        if (rc)
            return rc;
    }
    *out = s->st[which];
    return TRUSTREG_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static const char *col_opt(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : col(st, i);
}

/* Step a one-shot write; resets the statement. */
static int step_done(tr_map_store *s, sqlite3_stmt *st, const char *what)
{
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r == SQLITE_DONE ? TRUSTREG_OK : fail(s, what);
}

int tr_map_store_open(trustreg_db *db, tr_map_store **out)
{
    *out = NULL;
    sqlite3 *sq = tr_store_sqlite(db);
    if (!sq)
        return tr_error(TRUSTREG_ESTORE, "mappings need the SQLite store");
    tr_map_store *s = calloc(1, sizeof *s);
    if (!s)
        return tr_error_oom();
    s->db = db;
    s->sq = sq;
    *out = s;
    return TRUSTREG_OK;
}

void tr_map_store_close(tr_map_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    free(s);
}

void tr_map_fw_clear(tr_map_fw *f)
{
    free(f->name);
    free(f->catalog_uuid);
    free(f->href);
    memset(f, 0, sizeof *f);
}

static int fw_query(tr_map_store *s, const char *sql, const char *key, int64_t id, tr_map_fw *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = prep(s, sql, &st);
    if (rc)
        return rc;
    if (key)
        bind_text(st, 1, key);
    else
        sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->name = tr_strdup(col(st, 1));
        out->catalog_uuid = tr_strdup(col(st, 2));
        out->href = tr_strdup(col(st, 3));
        if (!out->name || !out->catalog_uuid || !out->href) {
            tr_map_fw_clear(out);
            rc = tr_error_oom();
        }
    } else if (r != SQLITE_DONE) {
        rc = fail(s, "looking up a framework");
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_map_fw_find(tr_map_store *s, const char *key, tr_map_fw *out)
{
    int rc = fw_query(s, "SELECT id, name, catalog_uuid, href FROM map_frameworks WHERE name = ?",
                      key, 0, out);
    if (rc || out->id || !*key)
        return rc;
    return fw_query(s,
                    "SELECT id, name, catalog_uuid, href FROM map_frameworks WHERE catalog_uuid = ?"
                    " ORDER BY id LIMIT 1",
                    key, 0, out);
}

int tr_map_fw_by_id(tr_map_store *s, int64_t id, tr_map_fw *out)
{
    return fw_query(s, "SELECT id, name, catalog_uuid, href FROM map_frameworks WHERE id = ?", NULL,
                    id, out);
}

int tr_map_fw_insert(tr_map_store *s, const char *name, const char *catalog_uuid,
                     const char *href, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = prep(s, "INSERT INTO map_frameworks(name, catalog_uuid, href) VALUES (?,?,?)", &st);
    if (rc)
        return rc;
    bind_text(st, 1, name);
    bind_text(st, 2, catalog_uuid);
    bind_text(st, 3, href);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = fail(s, "storing a framework");
    else
        *id = sqlite3_last_insert_rowid(s->sq);
    sqlite3_finalize(st);
    return rc;
}

int tr_map_fw_bind(tr_map_store *s, int64_t id, const char *catalog_uuid)
{
    sqlite3_stmt *st;
    int rc = prep(s, "UPDATE map_frameworks SET catalog_uuid = ? WHERE id = ?", &st);
    if (rc)
        return rc;
    bind_text(st, 1, catalog_uuid);
    sqlite3_bind_int64(st, 2, id);
    rc = step_done(s, st, "binding a framework");
    sqlite3_finalize(st);
    return rc;
}

int tr_map_fw_names(tr_map_store *s, char **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    int rc = prep(s, "SELECT name FROM map_frameworks ORDER BY name", &st);
    if (rc)
        return rc;
    tr_buf b = {0};
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (b.len)
            tr_buf_puts(&b, ", ");
        tr_buf_puts(&b, col(st, 0));
    }
    if (r != SQLITE_DONE)
        rc = fail(s, "listing frameworks");
    sqlite3_finalize(st);
    if (!rc && !(*out = tr_buf_steal(&b)))
        rc = tr_error_oom();
    tr_buf_free(&b);
    return rc;
}

int tr_map_catalog_title(tr_map_store *s, const char *uuid, int *found, char **title)
{
    *found = 0;
    if (title)
        *title = NULL;
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT title FROM documents WHERE uuid = ? AND model = 'catalog'"
                  " ORDER BY id DESC LIMIT 1",
                  &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = 1;
        if (title && !(*title = tr_strdup(col(st, 0))))
            rc = tr_error_oom();
    } else if (r != SQLITE_DONE) {
        rc = fail(s, "looking up a catalog");
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_map_catalog_controls(tr_map_store *s, const char *uuid, tr_map_control_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT control_id, label, title, withdrawn FROM controls WHERE doc_id ="
                  " (SELECT id FROM documents WHERE uuid = ? AND model = 'catalog'"
                  "  ORDER BY id DESC LIMIT 1) ORDER BY ord",
                  &st);
    if (rc)
        return rc;
    bind_text(st, 1, uuid);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = fn(ctx, col(st, 0), col(st, 1), col(st, 2), sqlite3_column_int(st, 3))))
            break;
    if (!rc && r != SQLITE_DONE)
        rc = fail(s, "reading catalog controls");
    sqlite3_finalize(st);
    return rc;
}

int tr_map_set_find_sha(tr_map_store *s, const char *sha256, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *st;
    int rc = prep(s, "SELECT id FROM map_sets WHERE sha256 = ?", &st);
    if (rc)
        return rc;
    bind_text(st, 1, sha256);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_DONE)
        rc = fail(s, "looking up a mapping set");
    sqlite3_finalize(st);
    return rc;
}

int tr_map_set_insert(tr_map_store *s, const tr_map_set_row *row, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = prep(s,
                  "INSERT INTO map_sets(uuid, format, title, version, oscal_version, source,"
                  " sha256, imported_at, head) VALUES (?,?,?,?,?,?,?,?,?)",
                  &st);
    if (rc)
        return rc;
    char now[21];
    tr_time_now_rfc3339(now);
    bind_text(st, 1, row->uuid);
    bind_text(st, 2, row->format);
    bind_text(st, 3, row->title);
    bind_text(st, 4, row->version);
    bind_text(st, 5, row->oscal_version);
    bind_text(st, 6, row->source);
    bind_text(st, 7, row->sha256);
    bind_text(st, 8, now);
    bind_opt(st, 9, row->head);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = fail(s, "storing a mapping set");
    else
        *id = sqlite3_last_insert_rowid(s->sq);
    sqlite3_finalize(st);
    return rc;
}

int tr_map_set_resolve(tr_map_store *s, const char *key, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT id FROM map_sets WHERE uuid = ?1 OR sha256 = ?1 OR CAST(id AS TEXT) = ?1"
                  " ORDER BY (uuid = ?1) DESC, id DESC LIMIT 1",
                  &st);
    if (rc)
        return rc;
    bind_text(st, 1, key);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_DONE)
        rc = fail(s, "looking up a mapping set");
    sqlite3_finalize(st);
    return rc;
}

int tr_map_set_counts(tr_map_store *s, int64_t set_id, long *mappings, long *maps, long *edges)
{
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT (SELECT count(*) FROM map_mappings WHERE set_id = ?1),"
                  " (SELECT count(*) FROM map_maps m JOIN map_mappings g ON m.mapping_id = g.id"
                  "  WHERE g.set_id = ?1),"
                  " (SELECT count(*) FROM map_edges e JOIN map_maps m ON e.map_id = m.id"
                  "  JOIN map_mappings g ON m.mapping_id = g.id WHERE g.set_id = ?1)",
                  &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, set_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *mappings = sqlite3_column_int(st, 0);
        *maps = sqlite3_column_int(st, 1);
        *edges = sqlite3_column_int(st, 2);
    } else {
        rc = fail(s, "counting mappings");
    }
    sqlite3_finalize(st);
    return rc;
}

int tr_map_mapping_insert(tr_map_store *s, int64_t set_id, long ord, int64_t src_fw,
                          int64_t dst_fw, const char *body, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = cached(s, ST_MAPPING,
                    "INSERT INTO map_mappings(set_id, ord, source_fw, target_fw, body)"
                    " VALUES (?,?,?,?,?)",
                    &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, set_id);
    sqlite3_bind_int64(st, 2, ord);
    sqlite3_bind_int64(st, 3, src_fw);
    sqlite3_bind_int64(st, 4, dst_fw);
    bind_opt(st, 5, body);
    if ((rc = step_done(s, st, "storing a mapping")))
        return rc;
    *id = sqlite3_last_insert_rowid(s->sq);
    return TRUSTREG_OK;
}

int tr_map_map_insert(tr_map_store *s, int64_t mapping_id, long ord, const char *uuid,
                      const char *relationship, const char *token, int strength,
                      const char *rationale, const char *body, int64_t *id)
{
    sqlite3_stmt *st;
    int rc = cached(s, ST_MAP,
                    "INSERT INTO map_maps(mapping_id, ord, uuid, relationship, token, strength,"
                    " rationale, body) VALUES (?,?,?,?,?,?,?,?)",
                    &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, mapping_id);
    sqlite3_bind_int64(st, 2, ord);
    bind_text(st, 3, uuid);
    bind_text(st, 4, relationship);
    bind_text(st, 5, token);
    if (strength >= 0)
        sqlite3_bind_int(st, 6, strength);
    else
        sqlite3_bind_null(st, 6);
    bind_text(st, 7, rationale);
    bind_opt(st, 8, body);
    if ((rc = step_done(s, st, "storing a map")))
        return rc;
    *id = sqlite3_last_insert_rowid(s->sq);
    return TRUSTREG_OK;
}

int tr_map_item_insert(tr_map_store *s, int64_t map_id, int target, long ord, const char *control)
{
    sqlite3_stmt *st;
    int rc = cached(s, ST_ITEM, "INSERT INTO map_items(map_id, side, ord, control) VALUES (?,?,?,?)",
                    &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, map_id);
    sqlite3_bind_int(st, 2, target ? 1 : 0);
    sqlite3_bind_int64(st, 3, ord);
    bind_text(st, 4, control);
    return step_done(s, st, "storing a mapped control");
}

/* Lower-case ASCII copy into buf (ids are compared case-insensitively). */
static const char *lower(const char *in, char *buf, size_t size, char **heap)
{
    size_t n = strlen(in);
    char *out = buf;
    *heap = NULL;
    if (n + 1 > size) {
        out = *heap = malloc(n + 1);
        if (!out)
            return NULL;
    }
    for (size_t i = 0; i <= n; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] + 32) : in[i];
    return out;
}

int tr_map_edge_insert(tr_map_store *s, int64_t map_id, int64_t src_fw, const char *src_ctl,
                       int64_t dst_fw, const char *dst_ctl, unsigned rel, int group)
{
    sqlite3_stmt *st;
    int rc = cached(s, ST_EDGE,
                    "INSERT INTO map_edges(map_id, src_fw, src_key, src_ctl, dst_fw, dst_key,"
                    " dst_ctl, rel, grp) VALUES (?,?,?,?,?,?,?,?,?)",
                    &st);
    if (rc)
        return rc;
    char b1[128], b2[128];
    char *h1, *h2;
    const char *k1 = lower(src_ctl, b1, sizeof b1, &h1);
    const char *k2 = lower(dst_ctl, b2, sizeof b2, &h2);
    if (!k1 || !k2) {
        free(h1);
        free(h2);
        return tr_error_oom();
    }
    sqlite3_bind_int64(st, 1, map_id);
    sqlite3_bind_int64(st, 2, src_fw);
    bind_text(st, 3, k1);
    bind_text(st, 4, src_ctl);
    sqlite3_bind_int64(st, 5, dst_fw);
    bind_text(st, 6, k2);
    bind_text(st, 7, dst_ctl);
    sqlite3_bind_int(st, 8, (int)(rel & 0x1f));
    sqlite3_bind_int(st, 9, group ? 1 : 0);
    rc = step_done(s, st, "storing a mapping edge");
    free(h1);
    free(h2);
    return rc;
}

int tr_map_set_read(tr_map_store *s, int64_t set_id, const tr_map_read_cb *cb)
{
    sqlite3_stmt *st = NULL, *sm = NULL, *si = NULL, *sg = NULL;
    int rc = prep(s,
                  "SELECT uuid, format, title, version, oscal_version, source, sha256, head,"
                  " imported_at FROM map_sets WHERE id = ?",
                  &st);
    if (!rc)
        rc = prep(s,
                  "SELECT g.id, fs.name, ft.name, g.body FROM map_mappings g"
                  " JOIN map_frameworks fs ON fs.id = g.source_fw"
                  " JOIN map_frameworks ft ON ft.id = g.target_fw WHERE g.set_id = ? ORDER BY g.ord",
                  &sg);
    if (!rc)
        rc = prep(s,
                  "SELECT id, uuid, relationship, token, strength, rationale, body FROM map_maps"
                  " WHERE mapping_id = ? ORDER BY ord",
                  &sm);
    if (!rc)
        rc = prep(s, "SELECT side, control FROM map_items WHERE map_id = ? ORDER BY side, ord",
                  &si);
    if (rc)
        goto done;
    sqlite3_bind_int64(st, 1, set_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = tr_error(TRUSTREG_ENOTFOUND, "no mapping set with id %lld", (long long)set_id);
        goto done;
    }
    tr_map_set_row row = {col(st, 0), col(st, 1), col(st, 2), col(st, 3),
                          col(st, 4), col(st, 5), col(st, 6), col_opt(st, 7), col(st, 8)};
    if ((rc = cb->set(cb->ctx, &row)))
        goto done;
    sqlite3_bind_int64(sg, 1, set_id);
    int r;
    while (!rc && (r = sqlite3_step(sg)) == SQLITE_ROW) {
        int64_t gid = sqlite3_column_int64(sg, 0);
        if ((rc = cb->mapping(cb->ctx, gid, col(sg, 1), col(sg, 2), col_opt(sg, 3))))
            break;
        sqlite3_reset(sm);
        sqlite3_bind_int64(sm, 1, gid);
        int rm;
        while (!rc && (rm = sqlite3_step(sm)) == SQLITE_ROW) {
            int strength = sqlite3_column_type(sm, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(sm, 4);
            if ((rc = cb->map(cb->ctx, gid, col(sm, 1), col(sm, 2), col(sm, 3), strength,
                              col(sm, 5), col_opt(sm, 6))))
                break;
            sqlite3_reset(si);
            sqlite3_bind_int64(si, 1, sqlite3_column_int64(sm, 0));
            int ri;
            while (!rc && (ri = sqlite3_step(si)) == SQLITE_ROW)
                rc = cb->item(cb->ctx, sqlite3_column_int(si, 0), col(si, 1));
            if (!rc && ri != SQLITE_DONE)
                rc = fail(s, "reading mapped controls");
        }
        if (!rc && rm != SQLITE_DONE)
            rc = fail(s, "reading maps");
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail(s, "reading mappings");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(sg);
    sqlite3_finalize(sm);
    sqlite3_finalize(si);
    return rc;
}

int tr_map_set_list(tr_map_store *s, tr_map_list_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    int rc = prep(
        s,
        "SELECT s.id, s.uuid, s.format, s.title, s.version, s.oscal_version, s.source, s.sha256,"
        " s.imported_at,"
        " (SELECT group_concat(p, '; ') FROM (SELECT DISTINCT fs.name || ' -> ' || ft.name AS p"
        "   FROM map_mappings g JOIN map_frameworks fs ON fs.id = g.source_fw"
        "   JOIN map_frameworks ft ON ft.id = g.target_fw WHERE g.set_id = s.id)),"
        " (SELECT count(*) FROM map_maps m JOIN map_mappings g ON m.mapping_id = g.id"
        "   WHERE g.set_id = s.id),"
        " (SELECT count(*) FROM map_edges e JOIN map_maps m ON e.map_id = m.id"
        "   JOIN map_mappings g ON m.mapping_id = g.id WHERE g.set_id = s.id)"
        " FROM map_sets s ORDER BY s.id DESC",
        &st);
    if (rc)
        return rc;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        tr_map_set_row row = {col(st, 1), col(st, 2), col(st, 3), col(st, 4),
                              col(st, 5), col(st, 6), col(st, 7), NULL, col(st, 8)};
        if ((rc = fn(ctx, sqlite3_column_int64(st, 0), &row, col(st, 8), col(st, 9),
                     sqlite3_column_int(st, 10), sqlite3_column_int(st, 11))))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail(s, "listing mapping sets");
    sqlite3_finalize(st);
    return rc;
}

static int edges_dir(tr_map_store *s, int which, int64_t fw, const char *key, tr_map_edge_fn fn,
                     void *ctx)
{
    static const char *const sql[2] = {
        "SELECT e.dst_fw, e.dst_ctl, e.dst_key, e.rel, e.grp, m.token, st.uuid, m.uuid"
        " FROM map_edges e JOIN map_maps m ON m.id = e.map_id"
        " JOIN map_mappings g ON g.id = m.mapping_id JOIN map_sets st ON st.id = g.set_id"
        " WHERE e.src_fw = ? AND e.src_key = ?",
        "SELECT e.src_fw, e.src_ctl, e.src_key, e.rel, e.grp, m.token, st.uuid, m.uuid"
        " FROM map_edges e JOIN map_maps m ON m.id = e.map_id"
        " JOIN map_mappings g ON g.id = m.mapping_id JOIN map_sets st ON st.id = g.set_id"
        " WHERE e.dst_fw = ? AND e.dst_key = ?"};
    sqlite3_stmt *st;
    int rc = cached(s, which ? ST_EDGES_DST : ST_EDGES_SRC, sql[which], &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, fw);
    bind_text(st, 2, key);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        unsigned rel = (unsigned)sqlite3_column_int(st, 3);
        tr_map_edge_row e = {
            .other_fw = sqlite3_column_int64(st, 0),
            .other_ctl = col(st, 1),
            .other_key = col(st, 2),
            .rel = which ? trustreg_map_converse(rel) : rel,
            .converse = which,
            .group = sqlite3_column_int(st, 4),
            .token = col(st, 5),
            .set_uuid = col(st, 6),
            .map_uuid = col(st, 7),
        };
        if ((rc = fn(ctx, &e)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail(s, "reading mapping edges");
    sqlite3_reset(st);
    return rc;
}

int tr_map_edges_of(tr_map_store *s, int64_t fw, const char *key, tr_map_edge_fn fn, void *ctx)
{
    int rc = edges_dir(s, 0, fw, key, fn, ctx);
    return rc ? rc : edges_dir(s, 1, fw, key, fn, ctx);
}

int tr_map_fw_controls(tr_map_store *s, int64_t fw, tr_map_name_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    int rc = prep(s,
                  "SELECT min(c) FROM (SELECT src_ctl AS c, src_key AS k FROM map_edges"
                  " WHERE src_fw = ?1 UNION ALL SELECT dst_ctl, dst_key FROM map_edges"
                  " WHERE dst_fw = ?1) GROUP BY k ORDER BY k",
                  &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, fw);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = fn(ctx, col(st, 0))))
            break;
    if (!rc && r != SQLITE_DONE)
        rc = fail(s, "listing mapped controls");
    sqlite3_finalize(st);
    return rc;
}
