/*
 * trustreg/db.h - opening the trustreg database.
 *
 * A trustreg_db is one connection to the store (SQLite by default). The schema is created and
 * migrated on open. Every user-visible write through the library is one transaction: it either
 * lands whole or not at all, also when the process is killed half-way.
 */
#ifndef TRUSTREG_DB_H
#define TRUSTREG_DB_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct trustreg_db trustreg_db;

enum trustreg_db_flags {
    TRUSTREG_DB_CREATE = 1 << 0,   /* create the database (and its folder) when missing */
    TRUSTREG_DB_READONLY = 1 << 1, /* open read-only; writes fail with TRUSTREG_ESTORE */
};

/* Default location when no path is given: $TRUSTREG_DB when set, else "var/trustreg.db". */
const char *trustreg_db_default_path(void);

/*
 * Open (and with TRUSTREG_DB_CREATE create) the database at path and bring its schema to the
 * current version. Without TRUSTREG_DB_CREATE a missing database is TRUSTREG_ENOTFOUND.
 */
int trustreg_db_open(trustreg_db **out, const char *path, unsigned flags);

/* Close the database; NULL is accepted. */
void trustreg_db_close(trustreg_db *db);

/* The path the database was opened with. */
const char *trustreg_db_path(const trustreg_db *db);

/* The schema version of an open database and the one this library writes. */
int trustreg_db_schema_version(trustreg_db *db, int *version);
int trustreg_db_schema_version_current(void);

#ifdef __cplusplus
}
#endif
#endif
