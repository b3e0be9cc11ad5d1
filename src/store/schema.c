/*
 * store/schema.c - SQLite schema migrations. Each migration runs once, in order, inside the same
 * transaction that records its version in schema_version; never edit a released migration,
 * append a new one. A module may keep its migration SQL in its own file (declared in schema.h)
 * and add one line here.
 */
#include "store/map_store.h"
#include "store/ccm_store.h"
#include "store/schema.h"
#include "store/tlog_store.h"
#include "trustreg/db.h"

const tr_migration tr_sqlite_migrations[] = {
    {1, "OSCAL documents and the catalog control index",
     "CREATE TABLE documents ("
     "  id INTEGER PRIMARY KEY,"
     "  uuid TEXT NOT NULL,"
     "  model TEXT NOT NULL,"
     "  title TEXT NOT NULL,"
     "  version TEXT NOT NULL DEFAULT '',"
     "  oscal_version TEXT NOT NULL DEFAULT '',"
     "  sha256 TEXT NOT NULL UNIQUE,"
     "  source TEXT NOT NULL DEFAULT '',"
     "  imported_at TEXT NOT NULL,"
     "  size INTEGER NOT NULL,"
     "  controls INTEGER NOT NULL DEFAULT 0,"
     "  groups INTEGER NOT NULL DEFAULT 0,"
     "  body BLOB NOT NULL"
     ");"
     "CREATE INDEX documents_uuid ON documents(uuid, id);"
     "CREATE INDEX documents_model ON documents(model, id);"
     "CREATE TABLE catalog_groups ("
     "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
     "  group_id TEXT NOT NULL,"
     "  parent_path TEXT NOT NULL,"
     "  path TEXT NOT NULL,"
     "  title TEXT NOT NULL,"
     "  ord INTEGER NOT NULL,"
     "  PRIMARY KEY (doc_id, path)"
     ");"
     "CREATE TABLE controls ("
     "  id INTEGER PRIMARY KEY,"
     "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
     "  control_id TEXT NOT NULL,"
     "  parent_id TEXT NOT NULL,"
     "  group_path TEXT NOT NULL,"
     "  group_title TEXT NOT NULL,"
     "  label TEXT NOT NULL,"
     "  title TEXT NOT NULL,"
     "  class TEXT NOT NULL,"
     "  withdrawn INTEGER NOT NULL,"
     "  depth INTEGER NOT NULL,"
     "  ord INTEGER NOT NULL,"
     "  statement TEXT NOT NULL,"
     "  guidance TEXT NOT NULL,"
     "  params TEXT NOT NULL,"
     "  UNIQUE (doc_id, control_id)"
     ");"
     "CREATE INDEX controls_parent ON controls(doc_id, parent_id, ord);"
     "CREATE INDEX controls_id_nocase ON controls(doc_id, control_id COLLATE NOCASE);"
     "CREATE VIRTUAL TABLE controls_fts USING fts5("
     "  title, statement, guidance, content='controls', content_rowid='id',"
     "  tokenize='porter unicode61 remove_diacritics 2');"},
    {2, "document bodies stored compressed (zstd), body_encoding says how",
     "ALTER TABLE documents ADD COLUMN body_encoding TEXT NOT NULL DEFAULT 'identity'"
     "  CHECK (body_encoding IN ('identity', 'zstd'));"},
    {3, "framework mappings (store/sqlite_map.c)", tr_map_schema_sql},
    {4, "transparency log: hash tiles, checkpoints, statements, witness state", tr_tlog_schema_sql},
    {5, "CCM question index and mapping cells, CAIQ self-assessments", tr_ccm_schema_sql},
    {6, "registry: providers, services, STAR entries, offerings, documents, history",
     tr_registry_schema_sql},
};

const int tr_sqlite_migration_count =
    (int)(sizeof tr_sqlite_migrations / sizeof tr_sqlite_migrations[0]);

int trustreg_db_schema_version_current(void)
{
    return tr_sqlite_migrations[tr_sqlite_migration_count - 1].version;
}
