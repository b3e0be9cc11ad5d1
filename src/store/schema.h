/*
 * store/schema.h - the SQLite schema as an ordered list of migrations.
 */
#ifndef TR_STORE_SCHEMA_H
#define TR_STORE_SCHEMA_H

typedef struct tr_migration {
    int version;
    const char *description;
    const char *sql;
} tr_migration;

extern const tr_migration tr_sqlite_migrations[];
extern const int tr_sqlite_migration_count;

/* Per-module migration SQL, each in its module's own file. */
extern const char tr_registry_schema_sql[]; /* registry/schema_sql.c */

#endif
